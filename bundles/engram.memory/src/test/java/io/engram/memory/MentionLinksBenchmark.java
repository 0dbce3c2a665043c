package io.engram.memory;

import io.engram.kg.GraphModel;
import io.engram.kg.graph.KnowledgeGraph;
import io.engram.kg.graph.NodeKey;
import io.engram.storage.LmdbStore;
import io.engram.storage.StoreSettings;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * Not a test: prints the time of one {@code addLinked} (an LTM memory of about 120 characters
 * naming two of 10,000 entities), with the graph's mention links and without, one caller at a time
 * (so each is a durable commit of its own). Run from the module folder:
 * {@code java -cp target/test-classes:target/classes:<test classpath> io.engram.memory.MentionLinksBenchmark}.
 */
public final class MentionLinksBenchmark {

    private static final int ENTITIES = 10_000;
    private static final int ADDS = 1_000;

    private MentionLinksBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        for (int round = 1; round <= 2; round++) {
            run("with links   ", true);
            run("without links", false);
        }
    }

    private static void run(String label, boolean linked) throws Exception {
        LmdbStore store = new LmdbStore(StoreSettings.defaults(Files.createTempDirectory("bench-mentions")));
        store.start();
        store.awaitOpen(Duration.ofSeconds(10));
        KnowledgeGraph graph = new GraphModel(Clock.systemUTC());
        store.write(txn -> {
            for (int i = 0; i < ENTITIES; i++) {
                graph.ensureNode(txn, "proj", NodeKey.entity("component" + i));
            }
            return null;
        });
        MemoryEngine engine = new MemoryEngine(store, Clock.systemUTC(), MemorySettings.DEFAULTS,
                linked ? new GraphMentionLinks(graph) : null);
        long[] micros = new long[ADDS];
        for (int i = 0; i < ADDS; i++) {
            String content = "The build of component" + i + " depends on component" + (i * 7 % ENTITIES)
                    + " and must run after the schema migration of the storage layer is done";
            long start = System.nanoTime();
            engine.addLinked(new NewMemory(content, null, null, Layer.LTM, null, null, "proj"));
            micros[i] = (System.nanoTime() - start) / 1_000;
        }
        Arrays.sort(micros);
        System.out.printf("%s: %d adds, p50 %d us, p99 %d us%n", label, ADDS, micros[ADDS / 2], micros[ADDS * 99 / 100]);
        store.close();
    }
}
