// The reference-compatible family (engram.compat) driven by the official MCP TypeScript client,
// which validates every structuredContent against the outputSchema it listed.
//
//   node tests/ts/compat-flow.mjs [--jar PATH] [--data DIR]
//   node tests/ts/compat-flow.mjs --reference PATH/TO/server-memory/dist/index.js
//
// Against Engram, the data folder (default: a fresh temporary one) gets the shipped config with
// engram.compat uncommented in config/bundles.list before the host starts. With --reference the
// same steps run against the reference server @modelcontextprotocol/server-memory on a fresh
// memory file: every step asserts behaviour both servers share.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync }
  from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: options } = parseArgs({
  options: { jar: { type: 'string' }, data: { type: 'string' }, reference: { type: 'string' } },
});
const jar = resolve(options.jar ?? process.env.ENGRAM_JAR ?? join(repoRoot, 'launcher', 'target', 'engram.jar'));
const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const scratch = await mkdtemp(join(tmpdir(), 'engram-compat-ts-'));
const dataDir = resolve(options.data ?? join(scratch, 'data'));
const serverLog = join(scratch, 'server-stderr.log');
const logStream = createWriteStream(serverLog);
const STEP_TIMEOUT_MS = 15_000;

const COMPAT_TOOLS = ['create_entities', 'create_relations', 'add_observations', 'delete_entities',
  'delete_observations', 'delete_relations', 'read_graph', 'search_nodes', 'open_nodes'];

/** The shipped config folder with engram.compat switched on: the one edit a user makes. */
function enableCompat() {
  const configDir = join(dataDir, 'config');
  if (!existsSync(configDir)) {
    mkdirSync(configDir, { recursive: true });
    for (const file of readdirSync(join(repoRoot, 'config'))) {
      copyFileSync(join(repoRoot, 'config', file), join(configDir, file));
    }
  }
  const list = join(configDir, 'bundles.list');
  const text = readFileSync(list, 'utf8');
  assert.ok(text.includes('\n# engram.compat\n'), 'the shipped list has engram.compat commented out');
  writeFileSync(list, text.replace('\n# engram.compat\n', '\nengram.compat\n'));
}

function transport() {
  const spec = options.reference
    ? { command: process.execPath, args: [resolve(options.reference)],
      env: { ...process.env, MEMORY_FILE_PATH: join(scratch, 'memory.jsonl') } }
    : { command: java, args: ['-jar', jar, '--data', dataDir], env: { ...process.env } };
  const stdio = new StdioClientTransport({ ...spec, stderr: 'pipe' });
  stdio.stderr.pipe(logStream, { end: false });
  return stdio;
}

let client;
let previousStepPassed = true;

/** A test that runs only when the step before it passed: each builds on the state the earlier ones left. */
function step(name, body) {
  test(name, { timeout: STEP_TIMEOUT_MS }, async (t) => {
    if (!previousStepPassed) {
      t.skip('an earlier step failed');
      return;
    }
    previousStepPassed = false;
    await body();
    previousStepPassed = true;
  });
}

/** Structured content of a successful call (the client has checked it against the outputSchema). */
async function call(name, args) {
  const result = await client.callTool({ name, arguments: args });
  assert.ok(!result.isError, `${name} failed: ${JSON.stringify(result.content)}`);
  assert.ok(result.structuredContent, `${name} gives structuredContent`);
  return result.structuredContent;
}

const names = (graph) => graph.entities.map((entity) => entity.name).sort();
const relations = (graph) => graph.relations.map((r) => `${r.from} ${r.relationType} ${r.to}`).sort();

after(async () => {
  await client?.close();
  logStream.end();
});

process.on('exit', () => {
  if (process.exitCode) {
    console.error(`Server stderr kept in ${serverLog}`);
  } else {
    rmSync(scratch, { recursive: true, force: true });
  }
});

step('connects to a server with the compatible family switched on', async () => {
  if (!options.reference) {
    enableCompat();
  }
  client = new Client({ name: 'engram-compat-flow', version: '1.0.0' });
  await client.connect(transport(), { timeout: 10_000 });
});

step('lists the nine tools with the reference annotations and output schemas', async () => {
  const { tools } = await client.listTools(); // from now on the client validates structuredContent
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  for (const name of COMPAT_TOOLS) {
    const tool = byName.get(name);
    assert.ok(tool, `${name} is listed (got ${[...byName.keys()].join(', ')})`);
    assert.equal(tool.outputSchema?.type, 'object', `${name} declares an outputSchema`);
    const reads = ['read_graph', 'search_nodes', 'open_nodes'].includes(name);
    const deletes = name.startsWith('delete_');
    assert.deepEqual(tool.annotations, {
      readOnlyHint: reads, destructiveHint: deletes, idempotentHint: reads || deletes, openWorldHint: false,
    }, name);
  }
  assert.deepEqual(byName.get('create_entities').inputSchema.properties.entities.items.required,
    ['name', 'entityType', 'observations']);
  assert.deepEqual(byName.get('search_nodes').inputSchema.required, ['query']);
});

step('create_entities returns the new entities and skips a taken name', async () => {
  const created = await call('create_entities', { entities: [
    { name: 'Ana', entityType: 'person', observations: ['prefers LMDB'] },
    { name: 'Engram', entityType: 'project', observations: ['speaks MCP over stdio'] },
  ] });
  assert.deepEqual(names(created), ['Ana', 'Engram']);
  const again = await call('create_entities', { entities: [
    { name: 'Ana', entityType: 'robot', observations: ['not stored'] },
    { name: 'Bo', entityType: 'person', observations: [] },
  ] });
  assert.deepEqual(again, { entities: [{ name: 'Bo', entityType: 'person', observations: [] }] });
});

step('create_relations returns only relations that are new', async () => {
  const created = await call('create_relations', { relations: [
    { from: 'Ana', to: 'Engram', relationType: 'works_on' },
    { from: 'Bo', to: 'Ana', relationType: 'mentors' },
  ] });
  assert.equal(created.relations.length, 2);
  assert.deepEqual(await call('create_relations', { relations: [{ from: 'Ana', to: 'Engram', relationType: 'works_on' }] }),
    { relations: [] });
});

step('add_observations adds what is new; an unknown entity is an error result', async () => {
  assert.deepEqual(await call('add_observations', { observations: [
    { entityName: 'Engram', contents: ['stores on LMDB', 'speaks MCP over stdio'] },
  ] }), { results: [{ entityName: 'Engram', addedObservations: ['stores on LMDB'] }] });
  const failed = await client.callTool({ name: 'add_observations', arguments: { observations: [
    { entityName: 'Nobody', contents: ['x'] },
  ] } });
  assert.equal(failed.isError, true);
  assert.match(failed.content[0].text, /Entity with name Nobody not found/);
});

step('search_nodes matches name, type and observations ignoring case, with relations touching a match', async () => {
  const found = await call('search_nodes', { query: 'LMDB' });
  assert.deepEqual(names(found), ['Ana', 'Engram']);
  assert.deepEqual(relations(found), ['Ana works_on Engram', 'Bo mentors Ana']);
  assert.deepEqual(names(await call('search_nodes', { query: 'PERSON' })), ['Ana', 'Bo']);
});

step('open_nodes gives the named entities and every relation touching them', async () => {
  const opened = await call('open_nodes', { names: ['Bo', 'Nobody'] });
  assert.deepEqual(opened.entities, [{ name: 'Bo', entityType: 'person', observations: [] }]);
  assert.deepEqual(relations(opened), ['Bo mentors Ana']);
});

step('read_graph without arguments gives the whole small graph', async () => {
  const graph = await call('read_graph', {});
  assert.deepEqual(names(graph), ['Ana', 'Bo', 'Engram']);
  assert.deepEqual(relations(graph), ['Ana works_on Engram', 'Bo mentors Ana']);
  assert.equal(graph.nextCursor, undefined);
});

step('delete_observations, delete_relations and delete_entities answer success and cascade', async () => {
  assert.deepEqual(await call('delete_observations', { deletions: [{ entityName: 'Engram', observations: ['stores on LMDB'] }] }),
    { success: true, message: 'Observations deleted successfully' });
  assert.deepEqual(await call('delete_relations', { relations: [{ from: 'Bo', to: 'Ana', relationType: 'mentors' }] }),
    { success: true, message: 'Relations deleted successfully' });
  assert.deepEqual(await call('delete_entities', { entityNames: ['Engram'] }),
    { success: true, message: 'Entities deleted successfully' });
  const graph = await call('read_graph', {});
  assert.deepEqual(names(graph), ['Ana', 'Bo']);
  assert.deepEqual(graph.relations, [], 'the relation went with its entity');
});

step('read_graph and search_nodes page with limit and cursor (an Engram addition)', async (t) => {
  if (options.reference) {
    return; // the reference ignores limit and cursor
  }
  const entities = Array.from({ length: 30 }, (_, i) => ({
    name: `page-${String(i).padStart(2, '0')}`, entityType: 'paged', observations: [`item ${i}`],
  }));
  await call('create_entities', { entities });
  const seen = [];
  let cursor;
  do {
    const page = await call('read_graph', cursor ? { limit: 7, cursor } : { limit: 7 });
    assert.ok(page.entities.length <= 7);
    seen.push(...page.entities.map((entity) => entity.name));
    cursor = page.nextCursor;
  } while (cursor);
  assert.equal(seen.length, 32);
  assert.equal(new Set(seen).size, 32);
  const first = await call('search_nodes', { query: 'PAGED', limit: 10 });
  assert.equal(first.entities.length, 10);
  assert.ok(first.nextCursor);
});
