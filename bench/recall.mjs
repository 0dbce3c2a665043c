// Recall of semantic search against the exact search, on a store that already holds the memories (a
// folder bench/search.mjs kept with --keep, its semantic bundle deployed):
//
//   ENGRAM_JAR=<jar> node bench/recall.mjs --keep <dir> [--semantic <semantic jar>] [--queries 100]
//
// One Engram process on <dir>/data. It waits until every memory has its vector and the clustered index
// has settled (a jar with a new index format rebuilds it first), asks memory_search {q, limit 10, mode
// semantic} for each query, then sets searchShare = 1.0 in config/engram.semantic.cfg (every vector read
// and scored: the exact search, docs/SEMANTIC.md), asks again, and prints recall@10 (the share of the
// exact ten the default search returns) and both searches' p50. The queries: the relevance set's
// (bench/relevance/queries.jsonl), then phrases of words from its corpus, to --queries. The cfg file is
// removed at the end.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  awaitVectors,
  deploySemantic,
  engramCommand,
  engramJar,
  machineSummary,
  percentile,
  StdioServer,
  storedMemories,
} from './lib/stdio-server.mjs';

const { values: options } = parseArgs({
  options: {
    keep: { type: 'string' },
    semantic: { type: 'string' },
    queries: { type: 'string', default: '100' },
  },
});
if (!options.keep) {
  throw new Error('--keep <dir>: the folder of a store bench/search.mjs kept');
}
const QUERIES = Number(options.queries);
const benchDir = new URL('.', import.meta.url).pathname;

async function queryTexts() {
  const lines = (await readFile(join(benchDir, 'relevance', 'queries.jsonl'), 'utf8')).trim().split('\n');
  const texts = lines.map((line) => JSON.parse(line).q);
  const corpus = (await readFile(join(benchDir, 'relevance', 'corpus.jsonl'), 'utf8')).trim().split('\n');
  const words = corpus.flatMap((line) => JSON.parse(line).content.split(/\s+/)).filter((w) => /^[a-z]{4,}$/.test(w));
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  while (texts.length < QUERIES) {
    texts.push(Array.from({ length: 3 + Math.floor(next() * 4) }, () => words[Math.floor(next() * words.length)]).join(' '));
  }
  return texts.slice(0, QUERIES);
}

async function searchAll(server, texts) {
  const answers = [];
  for (const q of texts) {
    const { result, latencyMs } = await server.callTool('memory_search', { q, limit: 10, mode: 'semantic' });
    if (result.isError) {
      throw new Error(`memory_search ${JSON.stringify(q)} failed: ${JSON.stringify(result)}`);
    }
    answers.push({ ids: (result.structuredContent?.results ?? []).map((r) => r.id), ms: latencyMs });
  }
  return answers;
}

console.error(`Engram jar: ${engramJar()}; ${options.keep}; ${QUERIES} queries`);
console.log(`Machine at the start: ${machineSummary()}`);
if (options.semantic) {
  await deploySemantic(options.keep, options.semantic);
}
const cfg = join(options.keep, 'data', 'config', 'engram.semantic.cfg');
await rm(cfg, { force: true });
const server = new StdioServer(engramCommand(options.keep), join(options.keep, `stderr-recall-${Date.now()}.log`));
await server.initialize();
try {
  const waited = await awaitVectors(server, await storedMemories(server), undefined, (semantic) =>
    console.error(`${new Date().toISOString()} ${JSON.stringify(semantic.index)}`));
  const status = (await server.callTool('system_status', {})).result.structuredContent.semantic;
  console.log(`Index: ${JSON.stringify(status.index)} (${status.vectors} vectors; waited ${(waited / 1000).toFixed(0)} s)`);
  const texts = await queryTexts();
  const approximate = await searchAll(server, texts);
  await writeFile(cfg, 'searchShare = 1.0\n');
  await new Promise((done) => setTimeout(done, 5_000)); // FileInstall polls the config folder
  const exact = await searchAll(server, texts);
  let found = 0;
  for (let i = 0; i < texts.length; i++) {
    const wanted = new Set(exact[i].ids);
    found += approximate[i].ids.filter((id) => wanted.has(id)).length / Math.max(1, wanted.size);
  }
  console.log(`recall@10 of the default search against the exact one over ${texts.length} queries: ` +
    `${(found / texts.length).toFixed(3)}; p50 ${percentile(approximate.map((a) => a.ms), 50).toFixed(1)} ms ` +
    `against ${percentile(exact.map((a) => a.ms), 50).toFixed(1)} ms`);
} finally {
  await rm(cfg, { force: true });
  await server.close(60_000);
}
console.log(`Machine at the end:   ${machineSummary()}`);
