// End-to-end flow of Engram driven by the official MCP TypeScript client
// (@modelcontextprotocol/sdk Client + StdioClientTransport), as an IDE would drive it.
//
//   npm ci --prefix tests/ts
//   node tests/ts/client-flow.mjs [--jar PATH] [--data DIR]
//
// The jar defaults to $ENGRAM_JAR, else launcher/target/engram.jar of this repository.
// The data folder defaults to a fresh temporary folder, removed afterwards.
// Exits non-zero when any step fails (node:test sets the exit code).

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  ErrorCode,
  LATEST_PROTOCOL_VERSION,
  ListRootsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: options } = parseArgs({
  options: { jar: { type: 'string' }, data: { type: 'string' } },
});
const jar = resolve(options.jar ?? process.env.ENGRAM_JAR ?? join(repoRoot, 'launcher', 'target', 'engram.jar'));
const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const scratch = await mkdtemp(join(tmpdir(), 'engram-ts-'));
const dataDir = resolve(options.data ?? join(scratch, 'data'));
const serverLog = join(scratch, 'server-stderr.log');
const logStream = createWriteStream(serverLog);

const MEMORY_TOOLS = ['memory_add', 'memory_search', 'memory_update', 'memory_delete'];
// A word no other memory in a reused data folder is likely to contain, so searches see only this run's memories.
const RUN = `run${Date.now().toString(36)}`;
const STEP_TIMEOUT_MS = 15_000;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The SDK only tells HTTP transports which protocol version was negotiated; giving the stdio
 * transport the same hook lets the test check the negotiation without reaching into the client.
 */
class RecordingStdioTransport extends StdioClientTransport {
  setProtocolVersion(version) {
    this.negotiatedVersion = version;
  }

  /**
   * Resolves once the client's next answer to roots/list is written to the server's stdin: the
   * server reads its input in order, so a call sent after that runs in the new namespace.
   */
  nextRootsAnswer() {
    return new Promise((resolveAnswer) => {
      this.onRootsAnswer = resolveAnswer;
    });
  }

  async send(message) {
    await super.send(message);
    if (message.result?.roots) {
      this.onRootsAnswer?.();
    }
  }
}

/**
 * A client and a transport that starts the jar on the data folder once the client connects.
 * With `roots` (an array of folder paths, read at each request), the client declares the roots
 * capability and answers roots/list with them as file URIs.
 */
function newSession({ roots } = {}) {
  const transport = new RecordingStdioTransport({
    command: java,
    args: ['-jar', jar, '--data', dataDir],
    env: { ...process.env },
    stderr: 'pipe',
  });
  transport.stderr.pipe(logStream, { end: false });
  const capabilities = roots ? { roots: { listChanged: true } } : {};
  const client = new Client({ name: 'engram-client-flow', version: '1.0.0' }, { capabilities });
  if (roots) {
    client.setRequestHandler(ListRootsRequestSchema, async () => ({
      roots: roots.map((folder) => ({ uri: pathToFileURL(folder).href, name: folder })),
    }));
  }
  return { client, transport };
}

/** Structured content of a successful call; a failed call fails the test with its text. */
async function call(client, name, args) {
  const result = await client.callTool({ name, arguments: args });
  assert.ok(!result.isError, `${name} failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent;
}

let first;
let second;
let third;
const ids = {};
let previousStepPassed = true;

/**
 * A test that runs only when the step before it passed: each step builds on the state the
 * earlier ones left. A step cut short by its timeout counts as failed.
 */
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

after(async () => {
  await first?.client.close();
  await second?.client.close();
  await third?.client.close();
  logStream.end();
});

// The test runner sets the exit code only after every hook has run.
process.on('exit', () => {
  if (process.exitCode) {
    console.error(`Server stderr kept in ${serverLog}`);
  } else {
    rmSync(scratch, { recursive: true, force: true });
  }
});

step('connects over stdio and negotiates the latest protocol version', async () => {
  first = newSession();
  await first.client.connect(first.transport, { timeout: CONNECT_TIMEOUT_MS });
  assert.equal(first.transport.negotiatedVersion, LATEST_PROTOCOL_VERSION);
  assert.equal(LATEST_PROTOCOL_VERSION, '2025-11-25');
  assert.ok(first.client.getServerVersion()?.name, 'serverInfo carries a name');
  assert.ok(first.client.getServerCapabilities()?.tools, 'tools capability declared');
});

step('lists the four memory tools, each with an output schema', async () => {
  const { tools } = await first.client.listTools();
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  for (const name of MEMORY_TOOLS) {
    const tool = byName.get(name);
    assert.ok(tool, `${name} is listed (got ${[...byName.keys()].join(', ')})`);
    assert.equal(tool.inputSchema.type, 'object');
    assert.equal(tool.outputSchema?.type, 'object', `${name} declares an outputSchema`);
  }
});

step('memory_add stores three memories; structuredContent matches the output schema', async () => {
  // callTool validates structuredContent against the listed outputSchema and throws on a mismatch.
  const added = [
    ['both', `${RUN} LMDB keeps every acknowledged write durable across restarts`, 'LTM'],
    ['one', `${RUN} Felix SCR activates the tool components lazily`, 'LTM'],
    ['doomed', `${RUN} a scratch note that will be deleted`, 'STM'],
  ];
  for (const [key, content, layer] of added) {
    const result = await call(first.client, 'memory_add', {
      content,
      layer_hint: layer,
      metadata: { test: 'client-flow' },
      session_id: RUN,
    });
    assert.match(result.id, /\S/);
    assert.equal(result.layer, layer);
    assert.equal(result.version, 1);
    assert.equal(typeof result.created_at, 'number');
    assert.equal(layer === 'STM', result.expires_at > result.created_at, 'only STM memories expire');
    ids[key] = result.id;
  }
  assert.equal(new Set(Object.values(ids)).size, 3, 'ids are distinct');
});

step('memory_search ranks the memory matching every query term first', async () => {
  const { results, total } = await call(first.client, 'memory_search', { q: `${RUN} lmdb durable`, session: RUN, limit: 10 });
  assert.equal(total, 3);
  assert.deepEqual(results.map((hit) => hit.id).sort(), Object.values(ids).sort());
  assert.equal(results[0].id, ids.both);
  assert.ok(results[0].score > results[1].score, 'the full match scores above partial matches');

  const narrow = await call(first.client, 'memory_search', { q: 'lmdb', session: RUN, limit: 10 });
  assert.deepEqual(narrow.results.map((hit) => hit.id), [ids.both]);
});

step('memory_update changes the content and bumps the version', async () => {
  const updated = await call(first.client, 'memory_update', {
    id: ids.one,
    content: `${RUN} Felix SCR activates service components lazily, on first use`,
  });
  assert.equal(updated.id, ids.one);
  assert.equal(updated.version, 2);

  const { results } = await call(first.client, 'memory_search', { q: `${RUN} first use`, session: RUN, limit: 1 });
  assert.equal(results[0].id, ids.one);
  assert.equal(results[0].version, 2);
  assert.match(results[0].content, /on first use/);
});

step('memory_delete removes a memory', async () => {
  const deleted = await call(first.client, 'memory_delete', { id: ids.doomed });
  assert.equal(deleted.deleted, true);
  const { results } = await call(first.client, 'memory_search', { q: 'scratch', session: RUN });
  assert.deepEqual(results, []);
  const again = await call(first.client, 'memory_delete', { id: ids.doomed });
  assert.equal(again.deleted, false, 'a second delete finds nothing');
});

step('a wrong argument type is an isError result naming the field', async () => {
  const result = await first.client.callTool({ name: 'memory_add', arguments: { content: 42 } });
  assert.equal(result.isError, true);
  const text = result.content.map((block) => block.text ?? '').join('\n');
  assert.match(text, /content/);
});

step('an unknown tool is rejected with McpError -32602', async () => {
  await assert.rejects(
    first.client.callTool({ name: 'memory_no_such_tool', arguments: {} }),
    (error) => error instanceof McpError && error.code === ErrorCode.InvalidParams,
  );
});

step('closing stdin makes the server exit on its own', async () => {
  const pid = first.transport.pid;
  const closed = new Promise((resolveClosed) => {
    first.client.onclose = resolveClosed;
  });
  const started = performance.now();
  await first.client.close();
  await closed;
  const elapsed = performance.now() - started;
  // The transport closes stdin, waits up to 2 s for the exit, and only then sends SIGTERM.
  assert.ok(elapsed < 2000, `exited ${Math.round(elapsed)} ms after stdin closed, before any SIGTERM`);
  assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'the server process is gone');
  first = undefined;
});

step('a new server on the same data folder finds the memories again', async () => {
  second = newSession();
  await second.client.connect(second.transport, { timeout: CONNECT_TIMEOUT_MS });
  // As an IDE does: list first. It also gives the client the output schemas to validate against.
  const { tools } = await second.client.listTools();
  assert.deepEqual(MEMORY_TOOLS.filter((name) => !tools.some((tool) => tool.name === name)), []);
  const { results } = await call(second.client, 'memory_search', { q: RUN, session: RUN, limit: 10 });
  const byId = new Map(results.map((hit) => [hit.id, hit]));
  assert.deepEqual([...byId.keys()].sort(), [ids.both, ids.one].sort());
  assert.equal(byId.get(ids.one).version, 2);
  assert.match(byId.get(ids.one).content, /on first use/);
  assert.deepEqual(byId.get(ids.both).metadata, { test: 'client-flow' });
  await second.client.close();
  second = undefined;
});

// Workspaces: a client that declares roots gets its first root's folder as its namespace.
const workspaceA = join(scratch, 'workspace-a');
const workspaceB = join(scratch, 'workspace-b');
const roots = [workspaceA];
const workspaceIds = {};

step('a client with roots stores and finds memories in its root\'s namespace', async () => {
  third = newSession({ roots });
  const answered = third.transport.nextRootsAnswer();
  await third.client.connect(third.transport, { timeout: CONNECT_TIMEOUT_MS });
  await answered;
  const added = await call(third.client, 'memory_add', { content: `${RUN} workspace note alpha`, layer_hint: 'LTM' });
  assert.equal(added.namespace, workspaceA);
  workspaceIds.a = added.id;

  const { results } = await call(third.client, 'memory_search', { q: `${RUN} workspace` });
  assert.deepEqual(results.map((hit) => [hit.id, hit.namespace]), [[workspaceIds.a, workspaceA]]);
});

step('after roots/list_changed a new memory lands in the new root\'s namespace', async () => {
  roots.splice(0, roots.length, workspaceB);
  const answered = third.transport.nextRootsAnswer();
  await third.client.sendRootsListChanged();
  await answered;
  const added = await call(third.client, 'memory_add', { content: `${RUN} workspace note beta`, layer_hint: 'LTM' });
  assert.equal(added.namespace, workspaceB);

  const { results } = await call(third.client, 'memory_search', { q: `${RUN} workspace` });
  assert.deepEqual(results.map((hit) => [hit.id, hit.namespace]), [[added.id, workspaceB]],
    'the old workspace is out of sight');
  const named = await call(third.client, 'memory_search', { q: `${RUN} workspace`, namespace: workspaceA });
  assert.deepEqual(named.results.map((hit) => [hit.id, hit.namespace]), [[workspaceIds.a, workspaceA]]);
  await third.client.close();
  third = undefined;
});
