// Graph benchmark (issue 5): the reference memory server's workload against the reference
// itself and against Engram's compatible family (engram.compat), in one run.
//
//   npm ci --prefix bench && node bench/graph.mjs [--entities 10000] [--overlapped 2000] [--in-flight 64]
//                                                [--searches 500] [--max-seconds 300] [--server engram|server-memory|both]
//
// Per server, on a fresh data folder / memory file, after initialize and tools/list:
// 1. `--entities` create_entities calls one at a time, one entity each (an entityType and 1-2
//    observations): latency p50 / p99 over all, and p50 of the last 1,000 (the store then near full).
//    Stops early after `--max-seconds` (the reference rewrites its whole file per call) and says
//    how many it reached.
// 2. `--overlapped` calls with `--in-flight` always outstanding, a third each of create_entities
//    (new entities), add_observations and create_relations (between entities of step 1): calls/s.
// 3. `--searches` search_nodes calls one at a time: names (one match), entity types (a fifth of
//    the store each), observation words (about a seventh of the store), and words found nowhere: p50 / p99.
// 4. Everything is read back (Engram: read_graph paged with its cursor until no nextCursor; the
//    reference answers the whole graph at once) and every entity, observation and relation an
//    answer acknowledged as created is looked for.
//
// Engram runs with engram.compat switched on in its data folder's config/bundles.list (a copy of
// the repository's config/, everything else at the shipped defaults) and the namespace setting left
// empty: every call of the run is in the session's namespace (this client declares no roots, so the
// host's working directory), one graph as the reference's file is.

import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  StdioServer,
  engramCommand,
  engramJar,
  freshDir,
  machineSummary,
  markdownTable,
  percentile,
  referenceCommand,
} from './lib/stdio-server.mjs';

const { values: options } = parseArgs({
  options: {
    entities: { type: 'string', default: '10000' },
    overlapped: { type: 'string', default: '2000' },
    'in-flight': { type: 'string', default: '64' },
    searches: { type: 'string', default: '500' },
    'max-seconds': { type: 'string', default: '300' },
    server: { type: 'string', default: 'both' },
  },
});
const ENTITIES = Number(options.entities);
const OVERLAPPED = Number(options.overlapped);
const IN_FLIGHT = Number(options['in-flight']);
const SEARCHES = Number(options.searches);
const MAX_SEQUENTIAL_MS = Number(options['max-seconds']) * 1000;
const LAST = 1000;
const READ_PAGE = 500;

const repoConfig = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'config');
const TYPES = ['person', 'project', 'library', 'service', 'decision'];
const WORDS = ['build', 'cache', 'deploy', 'index', 'kernel', 'lambda', 'mirror', 'parser', 'queue', 'router',
  'schema', 'shader', 'socket', 'thread', 'vector', 'widget', 'yaml', 'zipper', 'gradle', 'felix'];
const RELATION_TYPES = ['depends_on', 'owns', 'calls'];

/** A deterministic pseudo-random sequence, so both servers get exactly the same workload. */
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
const pick = (random, list) => list[Math.floor(random() * list.length)];

// Names end in 'z' so that one name's query is no substring of another's ("n12z" is not in "n123z").
const nameOf = (i) => `n${i}z`;
function entityOf(i, random) {
  const observation = () => `uses ${pick(random, WORDS)} with ${pick(random, WORDS)} (note o${i}q${Math.floor(random() * 1e6)})`;
  const observations = random() < 0.5 ? [observation()] : [observation(), observation()];
  return { name: nameOf(i), entityType: pick(random, TYPES), observations };
}

/** The overlapped calls: [tool, arguments], a third each of the three writes. */
function overlappedCalls(created) {
  const random = generator(5);
  const calls = [];
  for (let k = 0; k < OVERLAPPED; k++) {
    if (k % 3 === 0) {
      calls.push(['create_entities', { entities: [entityOf(ENTITIES + k, random)] }]);
    } else if (k % 3 === 1) {
      const target = nameOf(Math.floor(random() * created));
      calls.push(['add_observations', { observations: [{ entityName: target, contents: [`overlapped note ${k}q`] }] }]);
    } else {
      const from = nameOf(Math.floor(random() * created));
      const to = nameOf(Math.floor(random() * created));
      calls.push(['create_relations', { relations: [{ from, to, relationType: `${pick(random, RELATION_TYPES)}_${k}` }] }]);
    }
  }
  return calls;
}

/** The searches: [kind, query]; the same list for both servers. */
function searchQueries(created) {
  const random = generator(9);
  const kinds = [
    ['name', () => nameOf(Math.floor(random() * created))],
    ['type', () => pick(random, TYPES)],
    ['word', () => pick(random, WORDS)],
    ['none', () => `absent${Math.floor(random() * 1e6)}x`],
  ];
  return Array.from({ length: SEARCHES }, (_, i) => {
    const [kind, query] = kinds[i % kinds.length];
    return [kind, query()];
  });
}

/**
 * A fresh data folder whose config/ is the repository's defaults with engram.compat switched on
 * (Engram uses a config folder that is already there instead of writing its defaults).
 */
async function engramDataDir(dir) {
  const config = join(dir, 'data', 'config');
  await cp(repoConfig, config, { recursive: true });
  const list = join(config, 'bundles.list');
  const text = await readFile(list, 'utf8');
  const enabled = text.replace(/^# engram\.compat$/m, 'engram.compat');
  if (enabled === text) {
    throw new Error(`no '# engram.compat' line in ${list}`);
  }
  await writeFile(list, enabled);
}

/** The whole graph as { entities: Map name -> Set observation, relations: Set "from|type|to" }. */
async function readEverything(server, paged) {
  const entities = new Map();
  const relations = new Set();
  let cursor;
  let pages = 0;
  do {
    const { result } = await server.callTool('read_graph', paged ? { limit: READ_PAGE, ...(cursor ? { cursor } : {}) } : {});
    if (result.isError) {
      throw new Error(`read_graph failed: ${errorText(result)}`);
    }
    const graph = result.structuredContent;
    for (const entity of graph.entities) {
      const observations = entities.get(entity.name) ?? new Set();
      entity.observations.forEach((o) => observations.add(o));
      entities.set(entity.name, observations);
    }
    graph.relations.forEach((r) => relations.add(relationKey(r)));
    cursor = graph.nextCursor;
    pages++;
  } while (cursor);
  return { entities, relations, pages };
}

const relationKey = (r) => `${r.from}|${r.relationType}|${r.to}`;

function errorText(result) {
  if (!result.isError) {
    return undefined;
  }
  return result.rpcError ? JSON.stringify(result.rpcError) : (result.content ?? []).map((c) => c.text).join(' ');
}

/** What a write's answer acknowledges, added to `acked`; false when the call failed. */
function acknowledge(tool, result, acked) {
  if (result.isError) {
    return false;
  }
  const answer = result.structuredContent ?? {};
  if (tool === 'create_entities') {
    for (const entity of answer.entities ?? []) {
      acked.entities.add(entity.name);
      entity.observations.forEach((o) => acked.observations.push([entity.name, o]));
    }
  } else if (tool === 'add_observations') {
    for (const added of answer.results ?? []) {
      added.addedObservations.forEach((o) => acked.observations.push([added.entityName, o]));
    }
  } else {
    (answer.relations ?? []).forEach((r) => acked.relations.add(relationKey(r)));
  }
  return true;
}

async function bench(name) {
  const dir = await freshDir(`graph-${name}`);
  const command = name === 'engram' ? engramCommand(dir) : referenceCommand(dir);
  if (name === 'engram') {
    await engramDataDir(dir);
  }
  const server = new StdioServer(command, join(dir, 'stderr.log'));
  await server.initialize();
  const tools = (await server.request('tools/list', {})).message.result.tools.map((t) => t.name);
  if (!['create_entities', 'add_observations', 'create_relations', 'search_nodes', 'read_graph'].every((t) => tools.includes(t))) {
    throw new Error(`${name} does not list the reference's tools: ${tools.join(', ')}`);
  }
  const acked = { entities: new Set(), observations: [], relations: new Set() };
  const errors = [];

  // 1. Entities one call at a time.
  const random = generator(1);
  const latencies = [];
  const sequentialStart = performance.now();
  let created = 0;
  for (; created < ENTITIES && performance.now() - sequentialStart < MAX_SEQUENTIAL_MS; created++) {
    const args = { entities: [entityOf(created, random)] };
    const { result, latencyMs } = await server.callTool('create_entities', args);
    latencies.push(latencyMs);
    if (!acknowledge('create_entities', result, acked)) {
      errors.push(errorText(result));
    }
    if ((created + 1) % 2000 === 0) {
      console.error(`${name}: ${created + 1} entities, last call ${latencyMs.toFixed(1)} ms`);
    }
  }
  const sequentialMs = performance.now() - sequentialStart;
  console.error(`${name}: ${created} entities one call at a time in ${(sequentialMs / 1000).toFixed(1)} s`);

  // 2. Overlapped calls, IN_FLIGHT outstanding at any time.
  const calls = overlappedCalls(created);
  let next = 0;
  let overlappedFailed = 0;
  const overlappedStart = performance.now();
  const worker = async () => {
    while (next < calls.length) {
      const [tool, args] = calls[next++];
      const { result } = await server.callTool(tool, args);
      if (!acknowledge(tool, result, acked)) {
        overlappedFailed++;
        errors.push(errorText(result));
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const overlappedMs = performance.now() - overlappedStart;
  console.error(`${name}: ${calls.length} overlapped calls in ${overlappedMs.toFixed(0)} ms, ${overlappedFailed} failed`);

  // 3. Searches one at a time.
  const searches = [];
  for (const [kind, query] of searchQueries(created)) {
    const { result, latencyMs } = await server.callTool('search_nodes', { query });
    if (result.isError) {
      errors.push(errorText(result));
    }
    searches.push({ kind, latencyMs, found: result.structuredContent?.entities?.length ?? 0, truncated: !!result.structuredContent?.truncated });
  }
  console.error(`${name}: ${searches.length} searches`);

  // 4. Read everything back; look for every acknowledged write.
  const readStart = performance.now();
  const graph = await readEverything(server, name === 'engram');
  const readMs = performance.now() - readStart;
  const missing = {
    entities: [...acked.entities].filter((e) => !graph.entities.has(e)).length,
    observations: acked.observations.filter(([e, o]) => !graph.entities.get(e)?.has(o)).length,
    relations: [...acked.relations].filter((r) => !graph.relations.has(r)).length,
  };
  console.error(
    `${name}: read back ${graph.entities.size} entities, ${graph.relations.size} relations in ${graph.pages} page(s), ${readMs.toFixed(0)} ms; ` +
      `missing ${JSON.stringify(missing)} of ${acked.entities.size} / ${acked.observations.length} / ${acked.relations.size} acknowledged`,
  );
  if (errors.length > 0) {
    console.error(`${name}: ${errors.length} calls failed, first: ${errors[0]}`);
  }
  await server.close();
  await rm(dir, { recursive: true, force: true });

  const searchP50 = (kind) => percentile(searches.filter((s) => s.kind === kind).map((s) => s.latencyMs), 50);
  const foundMedian = (kind) => percentile(searches.filter((s) => s.kind === kind).map((s) => s.found), 50);
  return {
    created,
    sequentialSeconds: sequentialMs / 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    lastP50: percentile(latencies.slice(-LAST), 50),
    overlappedRate: (calls.length * 1000) / overlappedMs,
    overlappedFailed,
    searchP50: percentile(searches.map((s) => s.latencyMs), 50),
    searchP99: percentile(searches.map((s) => s.latencyMs), 99),
    searchKinds: Object.fromEntries(['name', 'type', 'word', 'none'].map((k) => [k, { p50: searchP50(k), found: foundMedian(k) }])),
    truncatedSearches: searches.filter((s) => s.truncated).length,
    acked: { entities: acked.entities.size, observations: acked.observations.length, relations: acked.relations.size },
    missing,
    readMs,
    pages: graph.pages,
  };
}

const names = options.server === 'both' ? ['engram', 'server-memory'] : [options.server];
if (!names.every((name) => ['engram', 'server-memory'].includes(name))) {
  console.error(`--server must be engram, server-memory or both, got ${options.server}`);
  process.exit(2);
}
const machineAtStart = machineSummary();
console.error(`Engram jar: ${engramJar()}; ${ENTITIES} entities, ${OVERLAPPED} overlapped calls (${IN_FLIGHT} in flight), ${SEARCHES} searches`);
const results = new Map();
for (const name of names) {
  results.set(name, await bench(name));
}

const ms = (value) => value.toFixed(2);
const row = (label, value) => [label, ...[...results.values()].map(value)];
const ratio = (value) => (results.size === 2 ? `${(value(results.get('engram')) / value(results.get('server-memory'))).toFixed(3)}` : '');
const lines = [
  row('entities created one call at a time', (r) => `${r.created} in ${r.sequentialSeconds.toFixed(1)} s`),
  [...row('write p50 ms (all)', (r) => ms(r.p50)), ratio((r) => r.p50)],
  [...row('write p99 ms (all)', (r) => ms(r.p99)), ratio((r) => r.p99)],
  [...row(`write p50 ms (last ${LAST})`, (r) => ms(r.lastP50)), ratio((r) => r.lastP50)],
  [...row(`overlapped calls/s (${IN_FLIGHT} in flight)`, (r) => Math.round(r.overlappedRate)), ratio((r) => r.overlappedRate)],
  row('overlapped calls failed', (r) => r.overlappedFailed),
  [...row('search p50 ms', (r) => ms(r.searchP50)), ratio((r) => r.searchP50)],
  [...row('search p99 ms', (r) => ms(r.searchP99)), ratio((r) => r.searchP99)],
  ...['name', 'type', 'word', 'none'].map((kind) => [
    ...row(`search p50 ms: ${kind} (median entities answered)`, (r) => `${ms(r.searchKinds[kind].p50)} (${r.searchKinds[kind].found})`),
    ratio((r) => r.searchKinds[kind].p50),
  ]),
  row('searches answered truncated (paged)', (r) => r.truncatedSearches),
  row('acknowledged: entities / observations / relations', (r) => `${r.acked.entities} / ${r.acked.observations} / ${r.acked.relations}`),
  row('acknowledged but missing: entities / observations / relations', (r) => `${r.missing.entities} / ${r.missing.observations} / ${r.missing.relations}`),
  row('read back (read_graph pages, ms)', (r) => `${r.pages} page(s), ${Math.round(r.readMs)} ms`),
];
console.log(`Machine at the start: ${machineAtStart}\nMachine at the end:   ${machineSummary()}\n`);
console.log(
  `Graph workload: ${ENTITIES} entities one create_entities call at a time, then ${OVERLAPPED} overlapped calls ` +
    `(${IN_FLIGHT} in flight), then ${SEARCHES} search_nodes, then everything read back\n`,
);
const header = ['', ...names, ...(results.size === 2 ? ['engram / server-memory'] : [])];
console.log(markdownTable(header, lines.map((l) => Array.from(header, (_, i) => l[i] ?? ''))));
if (results.has('engram')) {
  const engram = results.get('engram');
  const lostCount = engram.missing.entities + engram.missing.observations + engram.missing.relations;
  const met = (ok) => (ok ? 'met' : 'NOT met');
  console.log(
    `\nengram targets: missing = 0 ${met(lostCount === 0)} (${lostCount}); ` +
      `write p50 < 1 ms at ${engram.created} entities ${met(engram.lastP50 < 1)} (${ms(engram.lastP50)} ms, last ${LAST}); ` +
      `search p50 < 2 ms ${met(engram.searchP50 < 2)} (${ms(engram.searchP50)} ms)`,
  );
  if (lostCount > 0) {
    process.exitCode = 1; // an acknowledged Engram write went missing: that is a bug, not a figure
  }
}
