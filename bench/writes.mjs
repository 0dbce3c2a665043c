// Write benchmark: sequential write latency and an overlapped burst, then a check that every
// acknowledged write is still there after the server has been closed and started again.
//
//   npm ci --prefix bench && node bench/writes.mjs [--sequential 1000] [--burst 2000] [--server engram|server-memory|both]
//
// Engram: memory_add (LTM), each memory carrying a unique word; after a restart on the same
// data folder every acknowledged id must come back as the top hit of memory_search for its word.
// Reference (@modelcontextprotocol/server-memory): create_entities with one entity per call;
// afterwards its JSONL file is read and every acknowledged entity looked up by name.

import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
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
  uniqueWords,
} from './lib/stdio-server.mjs';

const { values: options } = parseArgs({
  options: {
    sequential: { type: 'string', default: '1000' },
    burst: { type: 'string', default: '2000' },
    server: { type: 'string', default: 'both' },
  },
});
const SEQUENTIAL = Number(options.sequential);
const BURST = Number(options.burst);
const VERIFY_CONCURRENCY = 8;
const FILLER = 'The build runs on two cores; LMDB commits are durable; the IDE restarts the server often.';
// One word per memory, found by memory_search as a single rare term.
const RUN_TAG = `b${Date.now().toString(36)}`;
const word = uniqueWords('b');
const contentOf = (token) => `Benchmark note ${token}. ${FILLER}`;

/** Adapters: how one write is made and acknowledged on each server. */
const workloads = {
  engram: {
    command: engramCommand,
    async write(server, token) {
      const { result, latencyMs } = await server.callTool('memory_add', {
        content: contentOf(token),
        layer_hint: 'LTM',
        session_id: RUN_TAG,
        metadata: { bench: RUN_TAG },
      });
      return { acknowledged: !result.isError && result.structuredContent?.id, latencyMs, error: errorText(result) };
    },
    /** Restarts on the same data folder, looks every acknowledged write up by its word; answers the missing ones. */
    async findAfterRestart(dir, acknowledged) {
      const server = await startServer(engramCommand(dir), join(dir, 'stderr-restart.log'));
      const missing = [];
      const queue = [...acknowledged];
      const worker = async () => {
        for (let next = queue.pop(); next; next = queue.pop()) {
          const { result } = await server.callTool('memory_search', { q: next.token, limit: 1 });
          const top = result.structuredContent?.results?.[0]?.id;
          if (top !== next.ack) {
            missing.push({ ...next, reason: errorText(result) ?? `top hit ${top ?? 'none'}` });
          }
        }
      };
      await Promise.all(Array.from({ length: VERIFY_CONCURRENCY }, worker));
      await server.close();
      return missing;
    },
  },
  'server-memory': {
    command: referenceCommand,
    async write(server, token) {
      const { result, latencyMs } = await server.callTool('create_entities', {
        entities: [{ name: token, entityType: 'note', observations: [contentOf(token)] }],
      });
      const created = result.structuredContent?.entities ?? [];
      return { acknowledged: !result.isError && created.some((e) => e.name === token) && token, latencyMs, error: errorText(result) };
    },
    /** The server keeps nothing but its JSONL file: read it, look every acknowledged entity up; answers the missing ones. */
    async findAfterRestart(dir, acknowledged) {
      const lines = (await readFile(join(dir, 'memory.jsonl'), 'utf8')).split('\n').filter((l) => l.trim());
      const names = new Set(lines.map((l) => JSON.parse(l)).filter((item) => item.type === 'entity').map((e) => e.name));
      return acknowledged.filter((write) => !names.has(write.ack)).map((write) => ({ ...write, reason: 'not in the file' }));
    },
  },
};

/** Starts a server and gets it ready as an IDE does: initialize, then tools/list before any call. */
async function startServer(command, stderrFile) {
  const server = new StdioServer(command, stderrFile);
  await server.initialize();
  await server.request('tools/list', {});
  return server;
}

function errorText(result) {
  if (!result.isError) {
    return undefined;
  }
  return result.rpcError ? JSON.stringify(result.rpcError) : (result.content ?? []).map((c) => c.text).join(' ');
}

async function bench(name) {
  const workload = workloads[name];
  const dir = await freshDir(name);
  const server = await startServer(workload.command(dir), join(dir, 'stderr.log'));
  const acknowledged = [];
  const errors = [];
  const record = (phase, token, outcome) => {
    if (outcome.acknowledged) {
      acknowledged.push({ phase, token, ack: outcome.acknowledged });
    } else {
      errors.push(outcome.error ?? 'not acknowledged');
    }
  };

  const latencies = [];
  const sequentialStart = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) {
    const token = word('s', i);
    const outcome = await workload.write(server, token);
    latencies.push(outcome.latencyMs);
    record('sequential', token, outcome);
  }
  const sequentialMs = performance.now() - sequentialStart;
  console.error(`${name}: ${SEQUENTIAL} sequential writes in ${sequentialMs.toFixed(0)} ms`);

  const burstStart = performance.now();
  const burst = Array.from({ length: BURST }, (_, i) => word('o', i));
  const outcomes = await Promise.all(burst.map((token) => workload.write(server, token)));
  const burstMs = performance.now() - burstStart;
  outcomes.forEach((outcome, i) => record('burst', burst[i], outcome));
  const burstAcknowledged = outcomes.filter((outcome) => outcome.acknowledged).length;
  console.error(`${name}: ${BURST} overlapped writes in ${burstMs.toFixed(0)} ms, ${burstAcknowledged} acknowledged`);

  const { code } = await server.close();
  const verifyStart = performance.now();
  const missing = await workload.findAfterRestart(dir, acknowledged);
  const verifyMs = performance.now() - verifyStart;
  console.error(`${name}: exit code ${code}; ${missing.length} of ${acknowledged.length} acknowledged writes missing (checked in ${verifyMs.toFixed(0)} ms)`);
  if (missing.length > 0) {
    console.error(`${name}: first missing: ${missing[0].token} (${missing[0].reason})`);
  }
  const kept = (phase) => {
    const acked = acknowledged.filter((write) => write.phase === phase).length;
    return `${acked - missing.filter((write) => write.phase === phase).length} of ${acked}`;
  };
  if (errors.length > 0) {
    console.error(`${name}: ${errors.length} writes failed, first: ${errors[0]}`);
  }
  if (name === 'engram' && missing.length > 0) {
    console.error(`${name}: data and logs kept in ${dir}`);
  } else {
    await rm(dir, { recursive: true, force: true });
  }
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    sequentialRate: (SEQUENTIAL * 1000) / sequentialMs,
    burstRate: (BURST * 1000) / burstMs,
    burstAcknowledged,
    sequentialKept: kept('sequential'),
    burstKept: kept('burst'),
    lost: missing.length,
    checkRate: (acknowledged.length * 1000) / verifyMs,
  };
}

const names = options.server === 'both' ? Object.keys(workloads) : [options.server];
if (!names.every((name) => workloads[name])) {
  console.error(`--server must be engram, server-memory or both, got ${options.server}`);
  process.exit(2);
}
const machineAtStart = machineSummary();
console.error(`Engram jar: ${engramJar()}; ${SEQUENTIAL} sequential writes, then ${BURST} overlapped, per server`);
const results = new Map();
for (const name of names) {
  results.set(name, await bench(name));
}

const ms = (value) => value.toFixed(1);
console.log(`Machine at the start: ${machineAtStart}\nMachine at the end:   ${machineSummary()}\n`);
console.log(`Writes: ${SEQUENTIAL} sequential (one call at a time), then ${BURST} sent at once; kept = found after restart\n`);
console.log(
  markdownTable(
    ['server', 'sequential p50 ms', 'sequential p99 ms', 'sequential calls/s', 'burst calls/s', 'burst acknowledged',
      'acknowledged kept: sequential', 'acknowledged kept: burst'],
    [...results].map(([name, r]) => [
      name,
      ms(r.p50),
      ms(r.p99),
      Math.round(r.sequentialRate),
      Math.round(r.burstRate),
      `${r.burstAcknowledged} of ${BURST}`,
      r.sequentialKept,
      r.burstKept,
    ]),
  ),
);
if (results.has('engram')) {
  const { checkRate } = results.get('engram');
  console.log(`\nengram check after restart: memory_search for each write's word, ${VERIFY_CONCURRENCY} in flight: ${Math.round(checkRate)} searches/s`);
}
if (results.size === 2) {
  const engram = results.get('engram');
  const reference = results.get('server-memory');
  console.log(
    `engram / server-memory: sequential p50 ${(engram.p50 / reference.p50).toFixed(2)}x, ` +
      `burst throughput ${(engram.burstRate / reference.burstRate).toFixed(2)}x`,
  );
}
if (results.get('engram')?.lost > 0) {
  process.exitCode = 1; // an acknowledged Engram write went missing: that is a bug, not a figure
}
