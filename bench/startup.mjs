// Startup benchmark: how long an IDE waits after spawning the server until initialize is
// answered, and until tools/list is answered (sent, as IDEs do, right after the initialize
// answer and notifications/initialized), for Engram and for the reference server
// @modelcontextprotocol/server-memory started the same way. Each run gets a fresh data folder.
//
//   npm ci --prefix bench && node bench/startup.mjs [--runs 10] [--reuse] [--engram-flags="JVM FLAGS"] [--floor]
//
// --floor adds a row for Engram with only the framework's part of the start: config/bundles.list
// names just SCR, its API bundles, gson, engram.api and engram.mcp (no tool bundle, no storage), so
// tools/list answers, empty, as soon as the protocol bundle serves. What the platform (JVM, Felix,
// SCR) costs before any tool bundle starts.
//
// By default each start gets a fresh data folder (a first run: config written, caches built).
// --reuse gives each server one data folder for all its starts, as an IDE restarting it has.
//
// Prints a markdown table: median (min-max) in milliseconds, and the ratio of the medians.

import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
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
    runs: { type: 'string', default: '10' },
    reuse: { type: 'boolean', default: false },
    'engram-flags': { type: 'string' },
    floor: { type: 'boolean', default: false },
  },
});
const runs = Number(options.runs);
const TOOLS_LIST_TARGET_MS = 300;
const ENGRAM_TOOLS = ['memory_add', 'memory_search', 'memory_update', 'memory_delete'];

const servers = [
  { name: 'engram', command: (dir) => engramCommand(dir), expectedTools: ENGRAM_TOOLS },
  { name: 'server-memory', command: referenceCommand, expectedTools: ['create_entities', 'search_nodes', 'read_graph'] },
];
// An extra row for JVM flags an IDE config could pass in its args, e.g. "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC".
if (options['engram-flags']) {
  const flags = options['engram-flags'].split(/\s+/).filter(Boolean);
  servers.splice(1, 0, {
    name: `engram ${flags.join(' ')}`,
    command: (dir) => engramCommand(dir, flags),
    expectedTools: ENGRAM_TOOLS,
  });
}

if (options.floor) {
  const repoConfig = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'config');
  const frameworkOnly = ['org.osgi.util.function', 'org.osgi.util.promise', 'org.osgi.service.component',
    'org.apache.felix.scr', 'gson', 'engram.api', 'engram.mcp'];
  servers.splice(1, 0, {
    name: 'engram floor (SCR + engram.mcp only)',
    command: (dir) => engramCommand(dir),
    expectedTools: [],
    prepare: async (dir) => {
      const config = join(dir, 'data', 'config');
      await mkdir(config, { recursive: true });
      await cp(repoConfig, config, { recursive: true });
      await writeFile(join(config, 'bundles.list'), `${frameworkOnly.join('\n')}\n`);
    },
  });
}

/** A folder-name-safe form of a server's row name (which may hold JVM flags with paths). */
const folderName = (name) => name.replace(/[^a-zA-Z0-9_.-]+/g, '_');

/** One cold start: spawn, handshake, tools/list, close stdin. Times are ms after the spawn. */
async function startOnce(server) {
  if (options.reuse && !server.dir) {
    server.dir = await freshDir(folderName(server.name));
    await server.prepare?.(server.dir);
  }
  let dir = server.dir;
  if (!dir) {
    dir = await freshDir(folderName(server.name));
    await server.prepare?.(dir);
  }
  const child = new StdioServer(server.command(dir), join(dir, 'stderr.log'));
  try {
    const init = await child.initialize();
    const list = await child.request('tools/list', {});
    const names = (list.message.result?.tools ?? []).map((tool) => tool.name);
    const missing = server.expectedTools.filter((name) => !names.includes(name));
    if (missing.length > 0) {
      throw new Error(`${server.name}: tools/list lacks ${missing.join(', ')} (stderr in ${dir})`);
    }
    const { code, exitMs } = await child.close();
    if (code !== 0) {
      throw new Error(`${server.name} exited with code ${code} after stdin closed (stderr in ${dir})`);
    }
    if (!options.reuse) {
      await rm(dir, { recursive: true, force: true });
    }
    return {
      initializeMs: init.answeredAt - child.spawnedAt,
      toolsListMs: list.answeredAt - child.spawnedAt,
      exitMs,
    };
  } catch (error) {
    await child.close(2_000).catch(() => {});
    throw error;
  }
}

const summary = (values) => ({ median: percentile(values, 50), min: Math.min(...values), max: Math.max(...values) });
const cell = ({ median, min, max }) => `${Math.round(median)} (${Math.round(min)}-${Math.round(max)})`;

const machineAtStart = machineSummary();
console.error(`Engram jar: ${engramJar()}; ${runs} runs per server after one untimed warm-up run each`);
const samples = new Map(servers.map((server) => [server.name, []]));
for (const server of servers) {
  await startOnce(server); // warm-up: page cache, JIT-free first touch of the jar and node_modules
}
// Interleaved, so that drift in machine load touches both servers alike.
for (let run = 1; run <= runs; run++) {
  for (const server of servers) {
    const sample = await startOnce(server);
    samples.get(server.name).push(sample);
    console.error(`run ${run} ${server.name}: initialize ${sample.initializeMs.toFixed(0)} ms, tools/list ${sample.toolsListMs.toFixed(0)} ms, exit ${sample.exitMs.toFixed(0)} ms`);
  }
}

const stats = new Map(
  [...samples].map(([name, list]) => [
    name,
    {
      initialize: summary(list.map((s) => s.initializeMs)),
      toolsList: summary(list.map((s) => s.toolsListMs)),
      exit: summary(list.map((s) => s.exitMs)),
    },
  ]),
);
const reference = stats.get('server-memory');
const ratio = (a, b) => `${(a.median / b.median).toFixed(2)}x`;
const engramRows = [...stats].filter(([name]) => name !== 'server-memory');

console.log(`Machine at the start: ${machineAtStart}\nMachine at the end:   ${machineSummary()}\n`);
console.log(`Startup, ms after spawn, median (min-max) of ${runs} runs, ${options.reuse ? 'reused' : 'fresh'} data folders\n`);
console.log(
  markdownTable(
    ['server', 'initialize answered', 'tools/list answered', 'exit after stdin EOF'],
    [
      ...[...stats].map(([name, s]) => [name, cell(s.initialize), cell(s.toolsList), cell(s.exit)]),
      ...engramRows.map(([name, s]) => [
        `${name} / server-memory`,
        ratio(s.initialize, reference.initialize),
        ratio(s.toolsList, reference.toolsList),
        ratio(s.exit, reference.exit),
      ]),
    ],
  ),
);
console.log('');
for (const [name, s] of engramRows) {
  const over = s.toolsList.median - TOOLS_LIST_TARGET_MS;
  console.log(
    `Target: ${name} tools/list within ${TOOLS_LIST_TARGET_MS} ms (median): ` +
      (over <= 0 ? `met, ${Math.round(-over)} ms to spare.` : `missed by ${Math.round(over)} ms.`),
  );
}
