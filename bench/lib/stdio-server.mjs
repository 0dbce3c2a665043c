// A bare MCP-over-stdio driver for the benchmarks: raw JSON-RPC lines over the child's pipes,
// so what is timed is the server, not a client library.

import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(benchDir, '..');

export const PROTOCOL_VERSION = '2025-11-25';
const MAX_QUEUED_NOTIFICATIONS = 1000;

/** Path of the Engram jar: $ENGRAM_JAR, else the one the build leaves in launcher/target. */
export function engramJar() {
  return resolve(process.env.ENGRAM_JAR ?? join(repoRoot, 'launcher', 'target', 'engram.jar'));
}

/**
 * How to start Engram, the way an IDE does: `java [jvmFlags] -jar engram.jar --data RUN_DIR/data`.
 * The java of $JAVA_HOME when set, else the one on the PATH.
 */
export function engramCommand(runDir, jvmFlags = []) {
  const dataDir = join(runDir, 'data');
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  return { name: 'engram', command: java, args: [...jvmFlags, '-jar', engramJar(), '--data', dataDir], env: {} };
}

/** How to start the reference server @modelcontextprotocol/server-memory, its file RUN_DIR/memory.jsonl. */
export function referenceCommand(runDir) {
  const script = join(benchDir, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js');
  return {
    name: 'server-memory',
    command: process.execPath,
    args: [script],
    env: { MEMORY_FILE_PATH: join(runDir, 'memory.jsonl') },
  };
}

/**
 * What the figures were measured on: cores, load (other work on the machine skews every
 * figure), and the node and java versions.
 */
export function machineSummary() {
  const { command } = engramCommand('');
  const javaVersion = spawnSync(command, ['-version'], { encoding: 'utf8' }).stderr.split('\n')[0];
  const load = loadavg().map((value) => value.toFixed(2)).join(' ');
  return `${cpus().length} cores (${cpus()[0].model}), load average ${load}; node ${process.version}; ${javaVersion}`;
}

/** `n` (a whole number >= 0) in the letters a-z, as base 26. */
function letters(n) {
  let text = '';
  do {
    text = String.fromCharCode(97 + (n % 26)) + text;
    n = Math.floor(n / 26);
  } while (n > 0);
  return text;
}

/**
 * A function (phase, i) => a word unique to this run, `phase` (one letter) and `i`: lower-case letters
 * only, ending in x, so that memory_search's analysis keeps it one term (digits would be split off as
 * terms of their own, shared by many memories; an ending like -s or -ed would be stemmed).
 */
export function uniqueWords(prefix) {
  const run = `${prefix}${letters(Date.now())}`;
  return (phase, i) => `${run}${phase}${letters(i)}x`;
}

/** A fresh temporary folder for one run. */
export function freshDir(prefix) {
  return mkdtemp(join(tmpdir(), `engram-bench-${prefix}-`));
}

/**
 * Puts the semantic search bundle `jar` into the deploy folder of the data folder engramCommand(runDir)
 * uses, so that Engram starts with it (docs/SEMANTIC.md).
 */
export async function deploySemantic(runDir, jar) {
  const deploy = join(runDir, 'data', 'deploy');
  await mkdir(deploy, { recursive: true });
  await copyFile(resolve(jar), join(deploy, 'engram.semantic.jar'));
}

/**
 * Waits until the semantic bundle of `server` has a vector for at least `count` memories, none
 * pending, and its index settled (system_status): no generation being built and none due, so what is
 * measured next is the index searches use at that size (docs/SEMANTIC.md, "The clustered index").
 * Returns the ms waited. Throws after `timeoutMs`. `onProgress(semantic)`, if given, hears the
 * semantic status once a minute.
 */
export async function awaitVectors(server, count, timeoutMs = 24 * 3600_000, onProgress = undefined) {
  const started = performance.now();
  let reported = started;
  while (true) {
    const { result } = await server.callTool('system_status', {});
    const semantic = result.structuredContent?.semantic;
    const index = semantic?.index;
    const settled = index && !('building_lists' in index) && !index.build_due;
    if (semantic && semantic.pending === 0 && semantic.vectors >= count && settled) {
      return performance.now() - started;
    }
    if (onProgress && semantic && performance.now() - reported >= 60_000) {
      reported = performance.now();
      onProgress(semantic);
    }
    if (performance.now() - started > timeoutMs) {
      throw new Error(`vectors not ready after ${timeoutMs / 1000} s: ${JSON.stringify(semantic)}`);
    }
    await new Promise((done) => setTimeout(done, 250));
  }
}

/** How many memories the store of `server` holds (system_status), once its storage has opened. */
export async function storedMemories(server) {
  for (let attempt = 0; ; attempt++) {
    const { result } = await server.callTool('system_status', {});
    const memory = result.structuredContent?.memory;
    if (typeof memory?.ltm_count === 'number') {
      return memory.ltm_count + (memory.stm_count ?? 0);
    }
    if (attempt === 600) {
      throw new Error(`system_status has no memory counts: ${JSON.stringify(result.structuredContent)}`);
    }
    await new Promise((done) => setTimeout(done, 100)); // storage still opening
  }
}

/** One running server process, spoken to with JSON-RPC requests matched to answers by id. */
export class StdioServer {
  #child;
  #pending = new Map();
  #nextId = 1;
  #exited;
  /** Notifications from the server not yet taken, each { message, at } (performance.now() of its arrival). */
  #notifications = [];
  /** takeNotification() calls waiting for one: { method, resolve }. */
  #notificationWaiters = [];

  /**
   * Starts `spec` (from engramCommand / referenceCommand); `spawnedAt` is the
   * performance.now() just before the spawn, the zero of every startup figure.
   */
  constructor(spec, stderrFile) {
    this.name = spec.name;
    this.spawnedAt = performance.now();
    this.#child = spawn(spec.command, spec.args, {
      env: { ...process.env, ...spec.env },
      stdio: ['pipe', 'pipe', stderrFile ? 'pipe' : 'ignore'],
    });
    if (stderrFile) {
      this.#child.stderr.pipe(createWriteStream(stderrFile));
    }
    this.#exited = new Promise((resolveExit) => {
      this.#child.once('exit', (code, signal) => resolveExit({ code, signal, at: performance.now() }));
    });
    this.#exited.then(({ code, signal }) => {
      for (const { reject } of this.#pending.values()) {
        reject(new Error(`${this.name} exited (code ${code}, signal ${signal}) with a request unanswered`));
      }
      this.#pending.clear();
    });
    this.#child.once('error', (error) => {
      for (const { reject } of this.#pending.values()) {
        reject(error);
      }
    });
    // stdin errors (EPIPE after an early exit) surface through the exit above
    this.#child.stdin.on('error', () => {});
    createInterface({ input: this.#child.stdout, crlfDelay: Infinity }).on('line', (line) => this.#receive(line));
  }

  #receive(line) {
    if (!line.trim()) {
      return;
    }
    const message = JSON.parse(line);
    if (message.method !== undefined) {
      if (message.id === undefined) {
        this.#notify({ message, at: performance.now() });
      }
      return; // a request from the server is not an answer, even when its id matches one of ours
    }
    const waiting = message.id !== undefined && this.#pending.get(message.id);
    if (!waiting) {
      return;
    }
    this.#pending.delete(message.id);
    waiting.resolve({ message, answeredAt: performance.now(), latencyMs: performance.now() - waiting.sentAt });
  }

  #notify(arrived) {
    const waiter = this.#notificationWaiters.findIndex(({ method }) => method === arrived.message.method);
    if (waiter >= 0) {
      this.#notificationWaiters.splice(waiter, 1)[0].resolve(arrived);
    } else {
      this.#notifications.push(arrived);
      if (this.#notifications.length > MAX_QUEUED_NOTIFICATIONS) {
        this.#notifications.shift(); // a script that never takes them must not grow without bound
      }
    }
  }

  /**
   * The oldest notification with this method not yet taken, or the next to arrive: resolves with
   * { message, at } (at: performance.now() of its arrival); rejects after `timeoutMs`.
   * Other notifications stay queued.
   */
  takeNotification(method, timeoutMs) {
    const queued = this.#notifications.findIndex((arrived) => arrived.message.method === method);
    if (queued >= 0) {
      return Promise.resolve(this.#notifications.splice(queued, 1)[0]);
    }
    return new Promise((resolveNotification, reject) => {
      const waiter = { method, resolve: undefined };
      const timer = setTimeout(() => {
        this.#notificationWaiters.splice(this.#notificationWaiters.indexOf(waiter), 1);
        reject(new Error(`${this.name}: no ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiter.resolve = (arrived) => {
        clearTimeout(timer);
        resolveNotification(arrived);
      };
      this.#notificationWaiters.push(waiter);
    });
  }

  /** Drops the notifications received and not yet taken. */
  clearNotifications() {
    this.#notifications.length = 0;
  }

  /**
   * Sends one request; resolves with { message, answeredAt, latencyMs } when its answer
   * arrives, whether a result or a JSON-RPC error.
   */
  request(method, params) {
    const id = this.#nextId++;
    return new Promise((resolveAnswer, reject) => {
      this.#pending.set(id, { resolve: resolveAnswer, reject, sentAt: performance.now() });
      this.#child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }

  notify(method, params) {
    this.#child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method, ...(params ? { params } : {}) })}\n`);
  }

  /** The MCP handshake: initialize, then notifications/initialized. Resolves with the initialize answer. */
  async initialize() {
    const answer = await this.request('initialize', {
      protocolVersion: PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: 'engram-bench', version: '1.0.0' },
    });
    if (answer.message.error) {
      throw new Error(`${this.name} refused initialize: ${JSON.stringify(answer.message.error)}`);
    }
    this.notify('notifications/initialized');
    return answer;
  }

  /** tools/call; resolves with { result, latencyMs }, result being the tool result or the JSON-RPC error. */
  async callTool(name, args) {
    const { message, latencyMs } = await this.request('tools/call', { name, arguments: args });
    return { result: message.error ? { isError: true, rpcError: message.error } : message.result, latencyMs };
  }

  /**
   * Closes stdin as an IDE does and waits for the exit (SIGKILL after `graceMs`).
   * Resolves with { code, signal, exitMs }: exitMs counts from the close of stdin.
   */
  async close(graceMs = 10_000) {
    const closedAt = performance.now();
    this.#child.stdin.end();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    const { code, signal, at } = await this.#exited;
    clearTimeout(timer);
    return { code, signal, exitMs: at - closedAt };
  }

  /** Kills the process with SIGKILL (kill -9: what a crashed or force-quit IDE leaves) and waits for the exit. */
  async kill() {
    this.#child.kill('SIGKILL');
    return this.#exited;
  }
}

/** The p-th percentile (0-100) of `values`, nearest rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** A markdown table of `rows` (arrays of cells) under `header`. */
export function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
