// Deploy and config benchmark: how long a connected client waits for a change made on disk while
// Engram runs. For each FileInstall poll interval given (`--polls`, default the shipped 1000 ms
// and 200 ms), one Engram on a fresh data folder whose config/ is the repository's with that
// `felix.fileinstall.poll` in config/org.apache.felix.fileinstall-deploy.cfg, then:
//
// (a)+(b) the example plugin (examples/engram.example.time, tool time_now) copied into deploy/ under
//         a temporary name and renamed to engram.example.time.jar; from the rename, (a) the
//         notifications/tools/list_changed after which tools/list shows time_now, and (b) the answer
//         of the first successful time_now call, from a caller that tries every 5 ms. Then the jar
//         is deleted and timed the same way until time_now has left tools/list.
// (c)     config/bundles.list edited (temporary file + rename): `engram.system` commented out, from
//         the rename to the list_changed after which no system_* tool is listed; then put back, to
//         the list_changed after which all four are listed again.
//
// Each change waits a random 0 to one poll interval first, so that it lands at a random point of
// the watcher's poll. One untimed warm-up of each, then `--runs` timed repetitions.
//
//   mvn -B -q install -DskipTests && node bench/deploy.mjs [--runs 20] [--polls 1000,200]
//
// Prints a markdown table: median (min-max) in ms per poll interval. Logs stay in the printed folders.

import { copyFile, cp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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
} from './lib/stdio-server.mjs';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    polls: { type: 'string', default: '1000,200' },
  },
});
const runs = Number(options.runs);
const polls = options.polls.split(',').map(Number);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LIST_CHANGED = 'notifications/tools/list_changed';
const SYSTEM_TOOLS = ['system_status', 'system_backup', 'system_restore', 'system_cleanup'];
/** BundleListWatcher's fixed poll of config/bundles.list (the FileInstall setting does not apply to it). */
const BUNDLES_LIST_POLL_MS = 1000;
const CHANGE_TIMEOUT_MS = 15_000;
const CALL_RETRY_MS = 5;

async function examplePlugin() {
  const target = join(repoRoot, 'examples', 'engram.example.time', 'target');
  const jar = (await readdir(target).catch(() => [])).find(
    (name) => /^engram\.example\.time-.*\.jar$/.test(name) && !/-(sources|tests)\.jar$/.test(name),
  );
  if (!jar) {
    throw new Error(`example plugin not built in ${target} (mvn -B -q install -DskipTests)`);
  }
  return join(target, jar);
}

/** A fresh data folder whose config/ is the repository's with the deploy folder polled every `pollMs`. */
async function dataFolder(pollMs) {
  const dir = await freshDir(`deploy-poll${pollMs}`);
  const config = join(dir, 'data', 'config');
  await cp(join(repoRoot, 'config'), config, { recursive: true });
  const deployCfg = join(config, 'org.apache.felix.fileinstall-deploy.cfg');
  const text = await readFile(deployCfg, 'utf8');
  const setting = /^felix\.fileinstall\.poll\s*=.*$/m;
  if (!setting.test(text)) {
    throw new Error(`${deployCfg} sets no felix.fileinstall.poll`);
  }
  await writeFile(deployCfg, text.replace(setting, `felix.fileinstall.poll = ${pollMs}`));
  return dir;
}

async function toolNames(server) {
  const { message } = await server.request('tools/list', {});
  if (message.error) {
    throw new Error(`tools/list failed: ${JSON.stringify(message.error)}`);
  }
  return message.result.tools.map((tool) => tool.name);
}

/**
 * Takes list_changed notices, listing the tools after each, until the list satisfies `wanted`;
 * resolves with the arrival time of that notice.
 */
async function awaitListing(server, wanted, what) {
  const deadline = performance.now() + CHANGE_TIMEOUT_MS;
  for (;;) {
    const notice = await server.takeNotification(LIST_CHANGED, Math.max(1, deadline - performance.now()))
      .catch(() => {
        throw new Error(`no list_changed with ${what} within ${CHANGE_TIMEOUT_MS} ms`);
      });
    if (wanted(await toolNames(server))) {
      return notice.at;
    }
  }
}

/** Calls the tool every few ms until a call succeeds; resolves with that answer's arrival time. */
async function firstSuccessfulCall(server, name, args) {
  const deadline = performance.now() + CHANGE_TIMEOUT_MS;
  for (;;) {
    const { message, answeredAt } = await server.request('tools/call', { name, arguments: args });
    if (message.result && !message.result.isError) {
      return answeredAt;
    }
    if (performance.now() > deadline) {
      throw new Error(`${name} did not answer within ${CHANGE_TIMEOUT_MS} ms: ${JSON.stringify(message)}`);
    }
    await sleep(CALL_RETRY_MS);
  }
}

/** Writes `text` beside `file` and renames it over `file`; resolves with the time just before the rename. */
async function replaceFile(file, text) {
  const next = `${file}.edit`;
  await writeFile(next, text);
  const at = performance.now();
  await rename(next, file);
  return at;
}

const randomPhase = (pollMs) => sleep(Math.random() * pollMs);

/** One deploy and removal of the plugin; times in ms from the rename (deploy) or the delete (removal). */
async function deployOnce(server, plugin, deployDir, pollMs) {
  const jar = join(deployDir, 'engram.example.time.jar');
  const partial = join(deployDir, '.engram.example.time.part');
  await copyFile(plugin, partial);
  await randomPhase(pollMs);
  server.clearNotifications();
  const landed = performance.now();
  await rename(partial, jar);
  const [announcedAt, calledAt] = await Promise.all([
    awaitListing(server, (names) => names.includes('time_now'), 'time_now listed'),
    firstSuccessfulCall(server, 'time_now', { timezone: 'UTC' }),
  ]);

  await randomPhase(pollMs);
  server.clearNotifications();
  const deleted = performance.now();
  await rm(jar);
  const goneAt = await awaitListing(server, (names) => !names.includes('time_now'), 'time_now gone');
  return { listChanged: announcedAt - landed, firstCall: calledAt - landed, removed: goneAt - deleted };
}

/** engram.system switched off and on again in config/bundles.list; ms from each rename. */
async function toggleOnce(server, bundlesList) {
  const shipped = await readFile(bundlesList, 'utf8');
  if (!shipped.includes('\nengram.system\n')) {
    throw new Error(`${bundlesList} does not list engram.system`);
  }
  await randomPhase(BUNDLES_LIST_POLL_MS);
  server.clearNotifications();
  const offAt = await replaceFile(bundlesList, shipped.replace('\nengram.system\n', '\n# engram.system\n'));
  const goneAt = await awaitListing(server, (names) => !names.some((name) => name.startsWith('system_')),
    'system_* gone');

  await randomPhase(BUNDLES_LIST_POLL_MS);
  server.clearNotifications();
  const onAt = await replaceFile(bundlesList, shipped);
  const backAt = await awaitListing(server, (names) => SYSTEM_TOOLS.every((name) => names.includes(name)),
    'system_* back');
  return { off: goneAt - offAt, on: backAt - onAt };
}

async function measure(pollMs, plugin) {
  const dir = await dataFolder(pollMs);
  const data = join(dir, 'data');
  const server = new StdioServer(engramCommand(dir), join(dir, 'stderr.log'));
  try {
    await server.initialize();
    const names = await toolNames(server);
    if (!names.includes('memory_add') || !names.includes('system_status') || names.includes('time_now')) {
      throw new Error(`unexpected tools at start: ${names.join(', ')}`);
    }
    const deploys = [];
    const toggles = [];
    for (let run = 0; run <= runs; run++) {
      const sample = await deployOnce(server, plugin, join(data, 'deploy'), pollMs);
      console.error(`poll ${pollMs} ${run === 0 ? 'warm-up' : `run ${run}`}: list_changed ${sample.listChanged.toFixed(0)} ms, `
        + `first call ${sample.firstCall.toFixed(0)} ms, removed ${sample.removed.toFixed(0)} ms`);
      if (run > 0) {
        deploys.push(sample);
      }
    }
    for (let run = 0; run <= runs; run++) {
      const sample = await toggleOnce(server, join(data, 'config', 'bundles.list'));
      console.error(`poll ${pollMs} ${run === 0 ? 'warm-up' : `run ${run}`}: engram.system off ${sample.off.toFixed(0)} ms, `
        + `on ${sample.on.toFixed(0)} ms`);
      if (run > 0) {
        toggles.push(sample);
      }
    }
    const { code } = await server.close();
    if (code !== 0) {
      throw new Error(`engram exited with code ${code} (log in ${dir})`);
    }
    console.error(`poll ${pollMs}: data folder and log in ${dir}`);
    return { deploys, toggles };
  } catch (error) {
    await server.close(2_000).catch(() => {});
    console.error(`poll ${pollMs}: failed; data folder and log kept in ${dir}`);
    throw error;
  }
}

const summary = (values) => ({ median: percentile(values, 50), min: Math.min(...values), max: Math.max(...values) });
const cell = ({ median, min, max }) => `${Math.round(median)} (${Math.round(min)}-${Math.round(max)})`;

const plugin = await examplePlugin();
const machineAtStart = machineSummary();
console.error(`Engram jar: ${engramJar()}; plugin ${plugin}; ${runs} runs per figure after one untimed warm-up`);
const results = new Map();
for (const pollMs of polls) {
  results.set(pollMs, await measure(pollMs, plugin));
}

const rows = [
  ['(a) jar renamed into deploy/ -> list_changed showing time_now', (r) => r.deploys.map((s) => s.listChanged)],
  ['(b) jar renamed into deploy/ -> first successful time_now', (r) => r.deploys.map((s) => s.firstCall)],
  ['jar deleted -> list_changed without time_now', (r) => r.deploys.map((s) => s.removed)],
  ['(c) engram.system commented out in bundles.list -> list_changed, system_* gone',
    (r) => r.toggles.map((s) => s.off)],
  ['(c) engram.system put back -> list_changed, all system_* listed', (r) => r.toggles.map((s) => s.on)],
];
console.log(`Machine at the start: ${machineAtStart}\nMachine at the end:   ${machineSummary()}\n`);
console.log(`Deploy and config changes, ms, median (min-max) of ${runs} runs; columns: felix.fileinstall.poll `
  + `of the deploy folder (config/bundles.list is polled every ${BUNDLES_LIST_POLL_MS} ms in both)\n`);
console.log(markdownTable(
  ['change', ...polls.map((pollMs) => `poll ${pollMs} ms`)],
  rows.map(([label, values]) => [label, ...polls.map((pollMs) => cell(summary(values(results.get(pollMs)))))]),
));
