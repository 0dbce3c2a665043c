package io.engram.semantic;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.engram.api.search.SemanticHit;
import io.engram.storage.LmdbStore;
import io.engram.storage.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: the figures of docs/SEMANTIC.md. Model load, embedding throughput, ranking quality of int8 against
 * float32 vectors on the labelled relevance set (bench/relevance), and nearest() latency over 10,000, 100,000 and
 * 1,000,000 stored vectors, exact and clustered, with the clustered index's recall (see {@link #nearest}). Run from the
 * worktree root:
 * {@code mvn -B -o -q verify -pl bundles/engram.semantic -am -Dtest=SemanticBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dengram.bench=true}; it prints to stderr and writes
 * bundles/engram.semantic/target/semantic-benchmark.txt.
 */
@EnabledIfSystemProperty(named = "engram.bench", matches = "true")
class SemanticBenchmark {

    private static final Path RELEVANCE = Path.of("../../bench/relevance");
    private static final int[] SIZES = Stream.of(System.getProperty("engram.bench.sizes",
            "10000,100000,1000000").split(",")).mapToInt(Integer::parseInt).toArray();
    private static final int SEARCHES = 21;
    /** Real embeddings the stored vectors are made from (see {@link #nearest}). */
    private static final int SEED_TEXTS = Integer.getInteger("engram.bench.seeds", 100_000);

    private final StringBuilder report = new StringBuilder();

    @Test
    void run() throws Exception {
        line("load average before: " + loadAverage());
        String rssBefore = residentMemory();
        long started = System.nanoTime();
        MiniLmEmbedder model = MiniLmEmbedder.load(null);
        line("model load + first embedding: " + ms(System.nanoTime() - started) + " ms");
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        line("process resident memory before/after loading the model: " + rssBefore + " / " + residentMemory()
                + "; Java heap used after: " + (runtime.totalMemory() - runtime.freeMemory()) / (1 << 20) + " MiB");

        List<Map<String, String>> corpus = jsonl(RELEVANCE.resolve("corpus.jsonl"));
        List<Map<String, String>> queries = jsonl(RELEVANCE.resolve("queries.jsonl"));
        throughput(model, corpus);
        quality(model, corpus, queries);
        Random random = new Random(42);
        long seedStart = System.nanoTime();
        List<float[]> seeds = model.embed(mixedTexts(corpus, SEED_TEXTS, random));
        line(String.format("embedded %,d seed texts in %d s", seeds.size(), ms(System.nanoTime() - seedStart) / 1000));
        List<String> queryTexts = new ArrayList<>(queries.stream().map(query -> query.get("q")).toList());
        queryTexts.addAll(mixedTexts(corpus, 100 - queryTexts.size(), new Random(43)));
        List<float[]> queryVectors = model.embed(queryTexts);
        for (int size : SIZES) {
            nearest(seeds, queryVectors, model, size);
        }
        line("load average after: " + loadAverage());
        Files.writeString(Path.of("target/semantic-benchmark.txt"), report);
    }

    private void throughput(MiniLmEmbedder model, List<Map<String, String>> corpus) {
        List<String> texts = new ArrayList<>();
        while (texts.size() < 512) {
            for (Map<String, String> doc : corpus) {
                texts.add(doc.get("content") + " #" + texts.size()); // no two alike
            }
        }
        texts = texts.subList(0, 512);
        int chars = texts.stream().mapToInt(String::length).sum();
        model.embed(texts.subList(0, 32));
        double[] rates = new double[3];
        for (int round = 0; round < rates.length; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < texts.size(); i += 32) {
                model.embed(texts.subList(i, i + 32));
            }
            rates[round] = texts.size() / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(rates);
        line(String.format("embedding throughput, batches of 32, %d texts of %d chars on average: median %.0f texts/s"
                + " (rounds %.0f / %.0f / %.0f)", texts.size(), chars / texts.size(), rates[1], rates[0], rates[1],
                rates[2]));
        long[] single = new long[51];
        for (int i = 0; i < single.length; i++) {
            long start = System.nanoTime();
            model.embed(List.of("how do I make the build faster " + i));
            single[i] = System.nanoTime() - start;
        }
        Arrays.sort(single);
        line(String.format("one short query embedded: median %.1f ms, p90 %.1f ms", single[25] / 1e6,
                single[45] / 1e6));
    }

    /**
     * nDCG@10 (as docs/RELEVANCE.md defines it: gain = grade) of ranking by meaning alone over the query's workspace
     * and global, ignoring the queries' filters, and how far int8 vectors change the top 10 of float32 ones.
     */
    private void quality(MiniLmEmbedder model, List<Map<String, String>> corpus, List<Map<String, String>> queries) {
        List<float[]> docs = model.embed(corpus.stream().map(doc -> doc.get("content")).toList());
        List<byte[]> stored = docs.stream().map(Vectors::encode).toList();
        Map<String, double[]> ndcgByKind = new LinkedHashMap<>();
        double overlap = 0;
        int sameFirst = 0;
        for (Map<String, String> query : queries) {
            float[] q = model.embed(List.of(query.get("q"))).get(0);
            List<Integer> candidates = new ArrayList<>();
            for (int i = 0; i < corpus.size(); i++) {
                String namespace = corpus.get(i).get("namespace");
                if (namespace.equals(query.get("workspace")) || namespace.equals("global")) {
                    candidates.add(i);
                }
            }
            List<Integer> exact = top(candidates, i -> dot(q, docs.get(i)));
            List<Integer> quantized = top(candidates, i -> Vectors.cosine(q, stored.get(i)));
            overlap += new HashSet<>(exact).stream().filter(quantized::contains).count() / (double) exact.size();
            sameFirst += exact.get(0).equals(quantized.get(0)) ? 1 : 0;
            JsonObject judgements = JsonParser.parseString(query.get("judgements")).getAsJsonObject();
            double[] sums = ndcgByKind.computeIfAbsent(query.get("kind"), kind -> new double[3]);
            sums[0] += ndcg(exact, corpus, judgements);
            sums[1] += ndcg(quantized, corpus, judgements);
            sums[2]++;
        }
        line(String.format("int8 against float32 on the relevance set (%d queries, %d memories): top-10 overlap %.3f,"
                + " same first result %d/%d", queries.size(), corpus.size(), overlap / queries.size(), sameFirst,
                queries.size()));
        ndcgByKind.forEach((kind, sums) -> line(String.format("  nDCG@10 by meaning alone, %-12s (%2.0f queries):"
                + " float32 %.3f, int8 %.3f", kind, sums[2], sums[0] / sums[2], sums[1] / sums[2])));
    }

    /**
     * nearest() over {@code size} stored vectors: the exact scan, then the clustered index (its build time, latency
     * and recall@10 against the exact scan, with the default settings and for other shares read). The vectors are
     * real embeddings of the {@code seeds} texts while there are enough; past that, seeds repeated with a little
     * noise (about 0.9 cosine to their seed) make up the size: embedding a million distinct texts here would take
     * hours. The queries are real embeddings of other texts.
     */
    private void nearest(List<float[]> seeds, List<float[]> queries, MiniLmEmbedder model, int size)
            throws Exception {
        Path dir = Files.createTempDirectory("bench-semantic");
        LmdbStore store = new LmdbStore(StoreSettings.defaults(dir));
        store.start();
        store.awaitOpen(Duration.ofSeconds(10));
        String namespace = "/home/dev/src/project";
        try {
            Random random = new Random(size);
            long fillStart = System.nanoTime();
            for (int done = 0; done < size; ) {
                int from = done;
                int to = Math.min(size, done + 20_000);
                List<byte[]> batch = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    batch.add(Vectors.encode(size <= seeds.size() ? seeds.get(i)
                            : noisy(seeds.get(random.nextInt(seeds.size())), random)));
                }
                store.write(txn -> {
                    for (int i = from; i < to; i++) {
                        String id = String.format("mem_%09d", i);
                        txn.put(SemanticKeys.VECTORS, SemanticKeys.vectorKey(namespace, id), batch.get(i - from));
                        txn.put(SemanticKeys.IDS, SemanticKeys.utf8(id), SemanticKeys.embeddedValue(namespace, id));
                    }
                    return null;
                });
                done = to;
            }
            long fillMs = ms(System.nanoTime() - fillStart);
            Set<String> namespaces = Set.of(namespace, "global");
            SemanticEngine engine = new SemanticEngine(store, SemanticSettings.DEFAULTS);
            List<List<String>> exact = new ArrayList<>();
            long[] scan = timeSearches(engine, queries, namespaces, exact);
            long[] readOnly = new long[5];
            byte[] prefix = SemanticKeys.namespacePrefix(namespace);
            for (int i = 0; i < readOnly.length; i++) {
                long start = System.nanoTime();
                store.read(txn -> {
                    txn.scanPrefixInPlace(SemanticKeys.VECTORS, prefix, (key, value) -> true); // as the search reads
                    return null;
                });
                readOnly[i] = System.nanoTime() - start;
            }
            Arrays.sort(readOnly);
            line(String.format("nearest(limit 10) over %,d vectors (%d MiB store, filled in %d ms): exact scan median"
                    + " %.1f ms, p90 %.1f ms; reading the entries alone (no scoring) median %.1f ms", size,
                    store.status().usedBytes() / (1 << 20), fillMs, median(scan), p90(scan),
                    readOnly[readOnly.length / 2] / 1e6));
            if (size < SemanticSettings.DEFAULTS.clusterFrom()) {
                return;
            }
            long buildStart = System.nanoTime();
            engine.maintainIndex();
            long buildMs = ms(System.nanoTime() - buildStart);
            List<List<String>> approximate = new ArrayList<>();
            long[] clustered = timeSearches(engine, queries, namespaces, approximate);
            long[] full = new long[SEARCHES];
            SemanticEngine withModel = new SemanticEngine(store, SemanticSettings.DEFAULTS) {
                @Override
                MiniLmEmbedder model() {
                    return model;
                }
            };
            for (int i = 0; i < SEARCHES; i++) {
                long start = System.nanoTime();
                withModel.nearest("how do I make the build faster " + i, namespaces, 10, id -> true);
                full[i] = System.nanoTime() - start;
            }
            Arrays.sort(full);
            line(String.format("  clustered: %s built in %d ms (%d MiB store after); median %.1f ms, p90 %.1f ms;"
                    + " recall@10 against the exact scan %.3f over %d queries; with the query's embedding median"
                    + " %.1f ms", engine.indexStatus(), buildMs, store.status().usedBytes() / (1 << 20),
                    median(clustered), p90(clustered), recall(exact, approximate), queries.size(),
                    full[SEARCHES / 2] / 1e6));
            for (double share : new double[] {0.005, 0.01, 0.02, 0.05, 0.1}) {
                SemanticEngine reading = new SemanticEngine(store, new SemanticSettings(32, 5_000,
                        SemanticSettings.DEFAULTS.clusterFrom(), share, 1));
                List<List<String>> shared = new ArrayList<>();
                long[] times = timeSearches(reading, queries, namespaces, shared);
                line(String.format("    reading at least %.1f %% of the vectors (%,d): median %.1f ms, p90 %.1f ms,"
                        + " recall@10 %.3f", share * 100, (long) Math.ceil(share * size), median(times), p90(times),
                        recall(exact, shared)));
            }
        } finally {
            store.close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Runs every query once (after three warm-ups), keeping the ids found; the sorted times. */
    private static long[] timeSearches(SemanticEngine engine, List<float[]> queries, Set<String> namespaces,
            List<List<String>> found) {
        for (int i = 0; i < 3; i++) {
            engine.nearest(queries.get(i), namespaces, 10, id -> true);
        }
        long[] times = new long[queries.size()];
        for (int i = 0; i < queries.size(); i++) {
            long start = System.nanoTime();
            List<SemanticHit> hits = engine.nearest(queries.get(i), namespaces, 10, id -> true);
            times[i] = System.nanoTime() - start;
            found.add(hits.stream().map(SemanticHit::id).toList());
        }
        Arrays.sort(times);
        return times;
    }

    /** The mean share of each exact top 10 that {@code approximate} found. */
    private static double recall(List<List<String>> exact, List<List<String>> approximate) {
        double found = 0;
        for (int q = 0; q < exact.size(); q++) {
            found += approximate.get(q).stream().filter(exact.get(q)::contains).count() / (double) exact.get(q).size();
        }
        return found / exact.size();
    }

    private static double median(long[] sorted) {
        return sorted[sorted.length / 2] / 1e6;
    }

    private static double p90(long[] sorted) {
        return sorted[sorted.length * 9 / 10] / 1e6;
    }

    /** {@code seed} plus Gaussian noise of length about 0.5: a unit vector about 0.9 cosine from it. */
    private static float[] noisy(float[] seed, Random random) {
        float[] vector = new float[seed.length];
        double sigma = 0.5 / Math.sqrt(seed.length);
        for (int i = 0; i < vector.length; i++) {
            vector[i] = seed[i] + (float) (random.nextGaussian() * sigma);
        }
        return Vectors.normalized(vector);
    }

    /**
     * {@code count} distinct note-like texts: spans of 6-16 words from two random memories of the relevance
     * corpus, joined.
     */
    private static List<String> mixedTexts(List<Map<String, String>> corpus, int count, Random random) {
        List<String[]> words = corpus.stream().map(doc -> doc.get("content").split("\\s+")).toList();
        Set<String> texts = new java.util.LinkedHashSet<>();
        while (texts.size() < count) {
            StringBuilder text = new StringBuilder();
            for (int part = 0; part < 2; part++) {
                String[] source = words.get(random.nextInt(words.size()));
                int length = Math.min(source.length, 6 + random.nextInt(11));
                int from = random.nextInt(source.length - length + 1);
                text.append(part == 0 ? "" : " ").append(String.join(" ", Arrays.copyOfRange(source, from,
                        from + length)));
            }
            texts.add(text.toString());
        }
        return new ArrayList<>(texts);
    }

    private static List<Integer> top(List<Integer> candidates, java.util.function.ToDoubleFunction<Integer> score) {
        return candidates.stream()
                .sorted(Comparator.comparingDouble(score).reversed().thenComparing(Comparator.naturalOrder()))
                .limit(10).toList();
    }

    private static double ndcg(List<Integer> ranked, List<Map<String, String>> corpus, JsonObject judgements) {
        double dcg = 0;
        for (int rank = 0; rank < ranked.size(); rank++) {
            String key = corpus.get(ranked.get(rank)).get("key");
            int gain = judgements.has(key) ? judgements.get(key).getAsInt() : 0;
            dcg += gain / (Math.log(rank + 2) / Math.log(2));
        }
        List<Integer> ideal = judgements.entrySet().stream().map(e -> e.getValue().getAsInt())
                .sorted(Comparator.reverseOrder()).limit(10).toList();
        double idcg = 0;
        for (int rank = 0; rank < ideal.size(); rank++) {
            idcg += ideal.get(rank) / (Math.log(rank + 2) / Math.log(2));
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** Each line's top-level fields as strings (objects as their JSON). */
    private static List<Map<String, String>> jsonl(Path file) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        for (String text : Files.readAllLines(file)) {
            if (text.isBlank()) {
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            JsonParser.parseString(text).getAsJsonObject().entrySet().forEach(e -> row.put(e.getKey(),
                    e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : e.getValue().toString()));
            rows.add(row);
        }
        return rows;
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim() + " (" + Runtime.getRuntime().availableProcessors()
                + " cores)";
    }

    private static String residentMemory() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return line.substring("VmRSS:".length()).trim();
            }
        }
        return "?";
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private void line(String text) {
        System.err.println(text);
        report.append(text).append('\n');
    }
}
