// Relevance benchmark (issue 6): how well memory_search ranks, on a labelled set written for the
// project (bench/relevance/: memories an AI coding assistant stores across four projects, and
// queries with graded judgements of the memories that should come first).
//
//   node bench/relevance.mjs [--label text] [--search-args '{"mode":"hybrid"}'] [--worst 10]
//                            [--corpus bench/relevance/corpus.jsonl] [--queries bench/relevance/queries.jsonl]
//                            [--semantic bundles/engram.semantic/target/engram.semantic-0.2.0-SNAPSHOT.jar]
//                            [--memory-settings 'searchSemanticWeight = 2']
//
// With --semantic, the semantic search bundle is put in the data folder's deploy folder before the
// first start (docs/SEMANTIC.md), and the queries wait until every memory has its vector. With
// --memory-settings, those lines are added to config/engram.memory.cfg after the first start (they
// apply live) before any query, to compare ranking settings.
//
// One fresh data folder. One Engram process per workspace, each started with ENGRAM_NAMESPACE set
// to it (an IDE window on that project); the first adds the whole corpus with memory_add (each
// memory in its namespace, with its layer, metadata, session and episode). Each query is sent by
// its workspace's process as memory_search {q, limit: 10, ...args, ...--search-args}. Per query:
// nDCG@10 (gain = the grade 1-3, discount log2(rank + 1), ideal = the judgements sorted) and
// recall@10 (judged memories in the top 10 / judged memories). Reports the means overall, without
// the paraphrase queries (which share no word with their answers: text search is expected to
// miss them) and per kind, then the worst queries. Exits 1 when the set itself is inconsistent or
// a call fails.

import { appendFile, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  StdioServer,
  awaitVectors,
  deploySemantic,
  engramCommand,
  engramJar,
  freshDir,
  machineSummary,
  markdownTable,
} from './lib/stdio-server.mjs';

const setDir = join(dirname(fileURLToPath(import.meta.url)), 'relevance');
const { values: options } = parseArgs({
  options: {
    corpus: { type: 'string', default: join(setDir, 'corpus.jsonl') },
    queries: { type: 'string', default: join(setDir, 'queries.jsonl') },
    label: { type: 'string', default: 'text' },
    'search-args': { type: 'string', default: '{}' },
    worst: { type: 'string', default: '10' },
    semantic: { type: 'string' },
    'memory-settings': { type: 'string' },
  },
});
const CUTOFF = 10;
const EXTRA_ARGS = JSON.parse(options['search-args']);
const WORST = Number(options.worst);

const readJsonl = async (path) =>
  (await readFile(resolve(path), 'utf8'))
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line);
      } catch (error) {
        throw new Error(`${path} line ${i + 1}: ${error.message}`);
      }
    });

/**
 * The terms memory_search matches on today (engram.memory's Terms): runs of letters, digits and
 * underscores, split at underscores and camelCase humps, lower-cased, plus the parts joined.
 * Used only to check that a paraphrase query shares no term with the memories it should find.
 */
function terms(text) {
  const found = new Set();
  for (const [word] of text.matchAll(/[\p{L}\p{M}\p{Nd}_]+/gu)) {
    const parts = word
      .split(/_+|(?<=[\p{Ll}\p{Nd}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u)
      .filter((part) => part)
      .map((part) => part.toLowerCase());
    parts.forEach((part) => found.add(part));
    if (parts.length > 1) {
      found.add(parts.join(''));
    }
  }
  return found;
}

/** Whether memory_search with these arguments, from this workspace, may return the memory. */
function inScope(memory, query) {
  const args = { ...query.args };
  const namespaces = args.namespace ? [args.namespace] : [query.workspace, 'global'];
  return (
    namespaces.includes(memory.namespace) &&
    (!args.layer || args.layer === memory.layer) &&
    (!args.session || args.session === memory.session_id) &&
    (!args.episode || args.episode === memory.episode_id)
  );
}

/** Every inconsistency of the set; empty when it can be used. */
function problems(corpus, queries) {
  const found = [];
  const byKey = new Map();
  for (const memory of corpus) {
    if (!/^k\d{3}$/.test(memory.key ?? '') || byKey.has(memory.key)) {
      found.push(`memory key ${memory.key}: missing, malformed or repeated`);
    }
    if (!memory.content || !memory.namespace || !['STM', 'LTM'].includes(memory.layer)) {
      found.push(`memory ${memory.key}: needs content, namespace and layer STM or LTM`);
    }
    byKey.set(memory.key, memory);
  }
  const ids = new Set();
  for (const query of queries) {
    if (!query.id || ids.has(query.id) || !query.kind || !query.workspace || !query.q) {
      found.push(`query ${query.id}: needs a unique id, kind, workspace and q`);
    }
    ids.add(query.id);
    const judged = Object.entries(query.judgements ?? {});
    if (judged.length === 0) {
      found.push(`query ${query.id}: no judgements`);
    }
    for (const [key, grade] of judged) {
      const memory = byKey.get(key);
      if (!memory) {
        found.push(`query ${query.id}: judges unknown memory ${key}`);
      } else if (!inScope(memory, query)) {
        found.push(`query ${query.id}: ${key} cannot be returned (namespace ${memory.namespace}, layer ${memory.layer})`);
      }
      if (![1, 2, 3].includes(grade)) {
        found.push(`query ${query.id}: grade of ${key} must be 1, 2 or 3, got ${grade}`);
      }
      if (memory && query.kind === 'paraphrase') {
        const shared = [...terms(query.q)].filter((term) => terms(memory.content).has(term));
        if (shared.length > 0) {
          found.push(`paraphrase ${query.id} shares ${shared.join(', ')} with ${key}`);
        }
      }
    }
  }
  return found;
}

/** nDCG@CUTOFF and recall@CUTOFF of the ranked keys against the graded judgements. */
function score(rankedKeys, judgements) {
  const top = rankedKeys.slice(0, CUTOFF);
  const dcg = top.reduce((sum, key, i) => sum + (judgements[key] ?? 0) / Math.log2(i + 2), 0);
  const ideal = Object.values(judgements)
    .sort((a, b) => b - a)
    .slice(0, CUTOFF)
    .reduce((sum, grade, i) => sum + grade / Math.log2(i + 2), 0);
  const judged = Object.keys(judgements);
  const recalled = judged.filter((key) => top.includes(key)).length;
  return { ndcg: dcg / ideal, recall: recalled / judged.length };
}

function errorText(result) {
  return result.rpcError ? JSON.stringify(result.rpcError) : (result.content ?? []).map((c) => c.text).join(' ');
}

async function call(server, tool, args) {
  const { result } = await server.callTool(tool, args);
  if (result.isError) {
    throw new Error(`${tool} ${JSON.stringify(args)} failed: ${errorText(result)}`);
  }
  return result.structuredContent;
}

/** An Engram process whose session namespace is `workspace`, as an IDE window on that project. */
async function startIn(dir, workspace) {
  const command = engramCommand(dir);
  command.env = { ...command.env, ENGRAM_NAMESPACE: workspace };
  const server = new StdioServer(command, join(dir, `stderr-${workspace.replace(/\W+/g, '_')}.log`));
  await server.initialize();
  await server.request('tools/list', {});
  return server;
}

async function addCorpus(server, corpus) {
  const keyOf = new Map();
  // one at a time: creation order breaks score ties (newest first), so it must not vary between runs
  for (const memory of corpus) {
    const args = { content: memory.content, namespace: memory.namespace, layer_hint: memory.layer };
    for (const field of ['metadata', 'session_id', 'episode_id']) {
      if (memory[field] !== undefined) {
        args[field] = memory[field];
      }
    }
    const added = await call(server, 'memory_add', args);
    keyOf.set(added.id, memory.key);
  }
  return keyOf;
}

const mean = (values) => (values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length);
const fixed = (value) => (Number.isNaN(value) ? '-' : value.toFixed(3));

const corpus = await readJsonl(options.corpus);
const queries = await readJsonl(options.queries);
const found = problems(corpus, queries);
if (found.length > 0) {
  console.error(`The relevance set is inconsistent:\n  ${found.join('\n  ')}`);
  process.exit(1);
}

const machineAtStart = machineSummary();
const dir = await freshDir('relevance');
console.error(`Engram jar: ${engramJar()}; ${corpus.length} memories, ${queries.length} queries; data in ${dir}`);
const workspaces = [...new Set(queries.map((query) => query.workspace))];
if (options.semantic) {
  await deploySemantic(dir, options.semantic);
}

const outcomes = [];
let keyOf;
for (const workspace of workspaces) {
  const server = await startIn(dir, workspace);
  try {
    const status = await call(server, 'system_status', {});
    if (status.namespace !== workspace) {
      throw new Error(`the session namespace is ${status.namespace}, not ${workspace}`);
    }
    if (!keyOf) {
      const started = performance.now();
      keyOf = await addCorpus(server, corpus);
      console.error(`added ${corpus.length} memories in ${(performance.now() - started).toFixed(0)} ms`);
      if (options['memory-settings']) {
        await appendFile(join(dir, 'data', 'config', 'engram.memory.cfg'), `\n${options['memory-settings']}\n`);
        await new Promise((done) => setTimeout(done, 4000)); // FileInstall applies it within about 2 s
      }
      if (options.semantic) {
        await awaitVectors(server, corpus.length, 600_000);
        console.error(`embedded ${corpus.length} memories ${(performance.now() - started).toFixed(0)} ms after the first add`);
      }
    }
    for (const query of queries.filter((q) => q.workspace === workspace)) {
      const args = { q: query.q, limit: CUTOFF, ...query.args, ...EXTRA_ARGS };
      const answer = await call(server, 'memory_search', args);
      const ranked = answer.results.map((result) => keyOf.get(result.id) ?? result.id);
      const outOfScope = answer.results.filter((result, i) => !inScope(corpus.find((m) => m.key === ranked[i]) ?? {}, query));
      if (outOfScope.length > 0) {
        throw new Error(`${query.id} returned memories its filters exclude: ${outOfScope.map((r) => r.id).join(', ')}`);
      }
      outcomes.push({ query, ranked, ...score(ranked, query.judgements) });
    }
  } finally {
    await server.close();
  }
}
await rm(dir, { recursive: true, force: true });

const kinds = [...new Set(queries.map((query) => query.kind))];
const row = (name, selected) => [
  name,
  selected.length,
  fixed(mean(selected.map((o) => o.ndcg))),
  fixed(mean(selected.map((o) => o.recall))),
];
const argsText = Object.keys(EXTRA_ARGS).length ? ` ${JSON.stringify(EXTRA_ARGS)}` : '';
console.log(`Machine at the start: ${machineAtStart}\nMachine at the end:   ${machineSummary()}\n`);
console.log(`Relevance of memory_search (${options.label}${argsText}): ${corpus.length} memories, ${queries.length} queries, limit ${CUTOFF}\n`);
console.log(
  markdownTable(
    ['queries', 'count', `nDCG@${CUTOFF}`, `recall@${CUTOFF}`],
    [
      row('all', outcomes),
      row('all but paraphrase', outcomes.filter((o) => o.query.kind !== 'paraphrase')),
      ...kinds.map((kind) => row(kind, outcomes.filter((o) => o.query.kind === kind))),
    ],
  ),
);
const worstTable = (selected) =>
  markdownTable(
    ['query', 'kind', `nDCG@${CUTOFF}`, `recall@${CUTOFF}`, 'q', 'first 3', 'missing'],
    [...selected]
      .sort((a, b) => a.ndcg - b.ndcg || a.recall - b.recall)
      .slice(0, WORST)
      .map((o) => [
        o.query.id,
        o.query.kind,
        fixed(o.ndcg),
        fixed(o.recall),
        `\`${o.query.q.replaceAll('|', '\\|')}\``,
        o.ranked.slice(0, 3).join(' ') || '(none)',
        Object.keys(o.query.judgements)
          .filter((key) => !o.ranked.slice(0, CUTOFF).includes(key))
          .join(' ') || '-',
      ]),
  );
// paraphrases apart: with text search alone they all score 0 and would hide every other regression
console.log(`\nWorst ${WORST} queries but paraphrases (first 3 returned; judged memories missing from the top ${CUTOFF}):\n`);
console.log(worstTable(outcomes.filter((o) => o.query.kind !== 'paraphrase')));
console.log(`\nWorst ${WORST} paraphrase queries:\n`);
console.log(worstTable(outcomes.filter((o) => o.query.kind === 'paraphrase')));
