// Storage benchmark (issue 3): durable write throughput with and without group commit, read
// latency, and restart-to-ready after kill -9 on a large store, all in one run.
//
//   node bench/storage.mjs [--rounds 3] [--sequential 1000] [--overlapped 10000] [--in-flight 64]
//                          [--warm-up 40000] [--reads 200] [--read-store 10000] [--restart-store 100000] [--restarts 20]
//
// 1. Writes: per commit mode (groupCommit = true / false in the data folder's
//    config/engram.storage.cfg), on a fresh data folder: `--sequential` memory_add calls one at a
//    time, then `--overlapped` calls with `--in-flight` always outstanding (the "cold" figure:
//    the JIT is still compiling on the same cores), then `--warm-up` more such calls untimed, then
//    `--overlapped` again (the "sustained" figure, what a long-running server gives; the target
//    is judged on it). Every call is acknowledged only after a durable commit. `--rounds` rounds, the two modes alternating, so
//    that other load on the machine falls on both alike; the median round of each is reported.
// 2. Reads: a store of `--read-store` memories, then `--reads` memory_search calls one at a time,
//    each for the unique word of a random memory (answered from the text index, docs/SEARCH.md).
// 3. Restart: a store of `--restart-store` memories (loaded with --in-flight overlapping
//    calls), then `--restarts` cycles of SIGKILL and an immediate respawn. Timed from the spawn:
//    initialize answered; the first memory_add acknowledged and the first memory_search answered
//    (both sent right after the initialize answer, and sent again while they answer
//    "storage unavailable"). One untimed kill first, so that every timed start follows a kill -9.

import { cp, readFile, rm, stat, writeFile } from 'node:fs/promises';
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
  uniqueWords,
} from './lib/stdio-server.mjs';

const { values: options } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    sequential: { type: 'string', default: '1000' },
    overlapped: { type: 'string', default: '10000' },
    'in-flight': { type: 'string', default: '64' },
    'warm-up': { type: 'string', default: '40000' },
    reads: { type: 'string', default: '200' },
    'read-store': { type: 'string', default: '10000' },
    'restart-store': { type: 'string', default: '100000' },
    restarts: { type: 'string', default: '20' },
  },
});
const ROUNDS = Number(options.rounds);
const SEQUENTIAL = Number(options.sequential);
const OVERLAPPED = Number(options.overlapped);
const IN_FLIGHT = Number(options['in-flight']);
const WARM_UP = Number(options['warm-up']);
const READS = Number(options.reads);
const READ_STORE = Number(options['read-store']);
const RESTART_STORE = Number(options['restart-store']);
const RESTARTS = Number(options.restarts);
const WRITE_TARGET_PER_S = 5000;

const repoConfig = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'config');
const FILLER = 'The build runs on two cores; LMDB commits are durable; the IDE restarts the server often.';
// One word per memory, found by memory_search as a single rare term.
const word = uniqueWords('s');
const addArguments = (token) => ({ content: `Storage benchmark note ${token}. ${FILLER}`, layer_hint: 'LTM' });

/**
 * A fresh data folder whose config/ is the repository's defaults with `groupCommit` set:
 * Engram uses a config folder that is already there instead of writing its defaults.
 */
async function dataFolder(name, groupCommit) {
  const dir = await freshDir(name);
  const config = join(dir, 'data', 'config');
  await cp(repoConfig, config, { recursive: true });
  const storageCfg = join(config, 'engram.storage.cfg');
  const text = await readFile(storageCfg, 'utf8');
  const setting = `groupCommit = ${groupCommit}`;
  await writeFile(storageCfg, /^groupCommit\s*=.*$/m.test(text)
    ? text.replace(/^groupCommit\s*=.*$/m, setting)
    : `${text}\n${setting}\n`);
  return dir;
}

async function startEngram(dir, log) {
  const server = new StdioServer(engramCommand(dir), join(dir, log));
  await server.initialize();
  await server.request('tools/list', {});
  return server;
}

function failure(result) {
  return result.isError
    ? (result.rpcError ? JSON.stringify(result.rpcError) : (result.content ?? []).map((c) => c.text).join(' '))
    : undefined;
}

/** memory_add that must be acknowledged; answers its latency. */
async function add(server, token) {
  const { result, latencyMs } = await server.callTool('memory_add', addArguments(token));
  if (!result.structuredContent?.id) {
    throw new Error(`memory_add ${token} not acknowledged: ${failure(result) ?? JSON.stringify(result)}`);
  }
  return latencyMs;
}

/** `count` memory_add calls with `inFlight` always outstanding; answers the elapsed ms. */
async function addOverlapped(server, phase, count, inFlight) {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      await add(server, word(phase, i));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return performance.now() - started;
}

async function writes(groupCommit, round) {
  const dir = await dataFolder(`writes-${groupCommit}-${round}`, groupCommit);
  const server = await startEngram(dir, 'stderr.log');
  await addOverlapped(server, 'w', 200, 8); // warm-up: JIT, and the config file applied
  const latencies = [];
  const sequentialStart = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) {
    latencies.push(await add(server, word('q', i)));
  }
  const sequentialMs = performance.now() - sequentialStart;
  const coldMs = await addOverlapped(server, 'o', OVERLAPPED, IN_FLIGHT);
  await addOverlapped(server, 'u', WARM_UP, IN_FLIGHT);
  const overlappedMs = await addOverlapped(server, 'v', OVERLAPPED, IN_FLIGHT);
  const { code } = await server.close();
  const log = await readFile(join(dir, 'stderr.log'), 'utf8');
  await rm(dir, { recursive: true, force: true });
  if (code !== 0) {
    throw new Error(`engram exited with ${code}:\n${log}`);
  }
  const result = {
    groupCommit,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    sequentialRate: (SEQUENTIAL * 1000) / sequentialMs,
    coldRate: (OVERLAPPED * 1000) / coldMs,
    overlappedRate: (OVERLAPPED * 1000) / overlappedMs,
  };
  console.error(`writes, round ${round}, groupCommit=${groupCommit}: ${JSON.stringify(result)}`);
  return result;
}

/** Per figure, the median over the rounds of one commit mode. */
function medianRound(rounds) {
  const median = (key) => percentile(rounds.map((r) => r[key]), 50);
  return {
    groupCommit: rounds[0].groupCommit,
    p50: median('p50'),
    p99: median('p99'),
    sequentialRate: median('sequentialRate'),
    coldRate: median('coldRate'),
    overlappedRate: median('overlappedRate'),
    overlappedRates: rounds.map((r) => Math.round(r.overlappedRate)),
  };
}

async function reads() {
  const dir = await dataFolder('reads', true);
  const server = await startEngram(dir, 'stderr.log');
  await addOverlapped(server, 'r', READ_STORE, IN_FLIGHT);
  const latencies = [];
  for (let i = 0; i < READS; i++) {
    const token = word('r', Math.floor(Math.random() * READ_STORE));
    const { result, latencyMs } = await server.callTool('memory_search', { q: token, limit: 10 });
    if (!result.structuredContent?.results?.[0]?.content.includes(token)) {
      throw new Error(`memory_search ${token} did not find it: ${failure(result) ?? JSON.stringify(result)}`);
    }
    latencies.push(latencyMs);
  }
  await server.close();
  await rm(dir, { recursive: true, force: true });
  const result = { memories: READ_STORE, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  console.error(`reads: ${JSON.stringify(result)}`);
  return result;
}

/** Sends a tool call again while it answers "storage unavailable"; answers its success in ms after the spawn. */
async function firstSuccess(server, name, args) {
  for (;;) {
    const { result } = await server.callTool(name, args);
    if (!result.isError) {
      return performance.now() - server.spawnedAt;
    }
    if (!failure(result).includes('storage unavailable') || performance.now() - server.spawnedAt > 60_000) {
      throw new Error(`${name} failed after a restart: ${failure(result)}`);
    }
  }
}

async function restarts() {
  const dir = await dataFolder('restart', true);
  const loader = await startEngram(dir, 'stderr-load.log');
  const loadMs = await addOverlapped(loader, 'l', RESTART_STORE, IN_FLIGHT);
  console.error(`restart: ${RESTART_STORE} memories loaded in ${(loadMs / 1000).toFixed(1)} s`);
  await loader.close();
  const storeMiB = (await stat(join(dir, 'data', 'store', 'data.mdb'))).size / (1024 * 1024);

  const searched = word('l', RESTART_STORE - 1);
  const timings = [];
  let server = await startEngram(dir, 'stderr-0.log'); // untimed: every timed start follows a kill -9
  for (let cycle = 1; cycle <= RESTARTS; cycle++) {
    await server.kill();
    server = new StdioServer(engramCommand(dir), join(dir, `stderr-${cycle}.log`));
    const init = await server.initialize();
    const [added, search] = await Promise.all([
      firstSuccess(server, 'memory_add', addArguments(word('k', cycle))),
      firstSuccess(server, 'memory_search', { q: searched, limit: 1 }),
    ]);
    timings.push({ init: init.answeredAt - server.spawnedAt, added, search });
    console.error(`restart ${cycle}: ${JSON.stringify(timings.at(-1))}`);
  }
  await server.kill();
  await rm(dir, { recursive: true, force: true });
  return { timings, storeMiB };
}

const machineAtStart = machineSummary();
console.error(`Engram jar: ${engramJar()}`);
const rounds = { true: [], false: [] };
for (let round = 1; round <= ROUNDS; round++) {
  for (const groupCommit of [true, false]) {
    rounds[groupCommit].push(await writes(groupCommit, round));
  }
}
const writeResults = [medianRound(rounds.true), medianRound(rounds.false)];
const readResult = await reads();
const { timings: restartTimings, storeMiB } = await restarts();
const machineAtEnd = machineSummary();

const ms = (value) => value.toFixed(1);
const [grouped, single] = writeResults;
console.log(`Machine at the start: ${machineAtStart}\nMachine at the end:   ${machineAtEnd}\n`);
console.log(`Durable memory_add (LTM): ${SEQUENTIAL} one at a time, then ${OVERLAPPED} with ${IN_FLIGHT} in flight ` +
  `right after (cold), then ${WARM_UP} more untimed and ${OVERLAPPED} again (sustained); ` +
  `median of ${ROUNDS} rounds (each round's sustained figure in brackets)\n`);
console.log(
  markdownTable(
    ['groupCommit', 'sequential p50 ms', 'sequential p99 ms', 'sequential calls/s',
      `${IN_FLIGHT} in flight calls/s, cold`, `${IN_FLIGHT} in flight calls/s, sustained`],
    writeResults.map((r) => [r.groupCommit, ms(r.p50), ms(r.p99), Math.round(r.sequentialRate),
      Math.round(r.coldRate), `${Math.round(r.overlappedRate)} (${r.overlappedRates.join(', ')})`]),
  ),
);
console.log(
  `\ngroup commit on / off: sequential ${(grouped.sequentialRate / single.sequentialRate).toFixed(2)}x, ` +
    `${IN_FLIGHT} in flight ${(grouped.overlappedRate / single.overlappedRate).toFixed(2)}x. ` +
    `Target ${WRITE_TARGET_PER_S} calls/s with ${IN_FLIGHT} in flight, sustained: ` +
    `${grouped.overlappedRate >= WRITE_TARGET_PER_S ? 'met' : 'MISSED'} (${Math.round(grouped.overlappedRate)}).\n`,
);
console.log(`memory_search one at a time at ${readResult.memories} memories, ${READS} calls: ` +
  `p50 ${ms(readResult.p50)} ms, p99 ${ms(readResult.p99)} ms\n`);
const column = (key) => restartTimings.map((t) => t[key]);
const summary = (key) => `${Math.round(percentile(column(key), 50))} / ${Math.round(percentile(column(key), 95))}`;
console.log(`Restart after kill -9 with ${RESTART_STORE} memories (data.mdb ${storeMiB.toFixed(0)} MiB), ` +
  `${RESTARTS} cycles, ms after spawn (median / p95)\n`);
console.log(
  markdownTable(
    ['initialize answered', 'first memory_add acknowledged', 'first memory_search answered'],
    [[summary('init'), summary('added'), summary('search')]],
  ),
);
