package io.engram.kg;

import io.engram.kg.graph.KnowledgeGraph;
import io.engram.kg.graph.NodeKey;
import io.engram.storage.LmdbStore;
import io.engram.storage.StoreSettings;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Not a test: prints how long {@link KnowledgeGraph#entitiesNamedIn} takes on a 2 KB text in a
 * namespace of 10,000 entities (single words, two-word names and code identifiers). Run from the
 * module folder: {@code java -cp target/test-classes:target/classes:<deps> io.engram.kg.EntityNameFinderBenchmark}.
 */
public final class EntityNameFinderBenchmark {

    private static final String NS = "bench";
    private static final int ENTITIES = 10_000;
    private static final int RUNS = 2_000;

    private EntityNameFinderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        LmdbStore store = new LmdbStore(StoreSettings.defaults(Files.createTempDirectory("bench-finder")));
        store.start();
        store.awaitOpen(Duration.ofSeconds(10));
        KnowledgeGraph graph = new GraphModel(Clock.systemUTC());
        Random random = new Random(42);
        String[] vocabulary = vocabulary(random);
        String[] names = new String[ENTITIES];
        store.write(txn -> {
            for (int i = 0; i < ENTITIES; i++) {
                String word = vocabulary[i % vocabulary.length];
                String name = switch (i % 3) {
                    case 0 -> word + i;
                    case 1 -> word + " " + vocabulary[random.nextInt(vocabulary.length)] + i;
                    default -> word + "::" + word + "_" + i;
                };
                names[i] = name;
                graph.ensureNode(txn, NS, NodeKey.entity(name));
            }
            return null;
        });
        // a 2 KB text of vocabulary words (each the first word of many names) and, one word in ten, a name
        StringBuilder text = new StringBuilder();
        while (text.length() < 2_048) {
            text.append(random.nextInt(10) == 0 ? names[random.nextInt(ENTITIES)]
                    : vocabulary[random.nextInt(vocabulary.length)]).append(random.nextInt(8) == 0 ? ". " : " ");
        }
        String sample = text.substring(0, 2_048);
        int found = store.read(txn -> graph.entitiesNamedIn(txn, NS, sample)).size();
        for (int round = 1; round <= 3; round++) {
            long[] micros = new long[RUNS];
            for (int run = 0; run < RUNS; run++) {
                long start = System.nanoTime();
                store.read(txn -> graph.entitiesNamedIn(txn, NS, sample));
                micros[run] = (System.nanoTime() - start) / 1_000;
            }
            Arrays.sort(micros);
            System.out.printf("round %d: %d entities, %d chars, %d names found: p50 %d us, p99 %d us%n", round,
                    ENTITIES, sample.length(), found, micros[RUNS / 2], micros[RUNS * 99 / 100]);
        }
        store.close();
    }

    private static String[] vocabulary(Random random) {
        List<String> words = List.of("python", "rust", "store", "graph", "memory", "index", "cache", "server",
                "client", "vector", "parser", "thread", "lock", "build", "test", "node", "edge", "query", "token",
                "model");
        String[] vocabulary = new String[500];
        for (int i = 0; i < vocabulary.length; i++) {
            vocabulary[i] = words.get(i % words.size()) + (i < words.size() ? "" : Integer.toString(i, 36));
        }
        return vocabulary;
    }
}
