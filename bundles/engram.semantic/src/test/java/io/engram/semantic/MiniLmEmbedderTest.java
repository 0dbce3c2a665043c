package io.engram.semantic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The model as Engram runs it: ONNX Runtime in this process, in a session of its own options. */
class MiniLmEmbedderTest {

    private static final List<String> TEXTS = List.of(
            "The deploy pipeline fails when the Gradle cache is cold",
            "who takes care of the houseplants",
            "fix");

    private static final int ROUNDS = 11;

    private static MiniLmEmbedder model;

    @BeforeAll
    static void load() throws Exception {
        model = MiniLmEmbedder.load(null);
    }

    @Test
    void theVectorsAreExactlyThoseOfLangchain4jsOwnModelClass() {
        // stored vectors stay valid (MODEL_ID unchanged) only while the session computes the same numbers
        AllMiniLmL6V2QuantizedEmbeddingModel reference = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
        List<float[]> ours = model.embed(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] theirs = Vectors.normalized(reference.embed(TextSegment.from(TEXTS.get(i))).content().vector());
            assertArrayEquals(theirs, ours.get(i), 1e-6f, TEXTS.get(i));
        }
    }

    @Test
    void afterAnEmbeddingTheModelLeavesTheCoresToTheSearch() throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20; i++) {
            model.embed(TEXTS.get(i % TEXTS.size())); // warm: the JIT's threads would count below
        }
        // A search embeds its query, then scans vectors on the same thread. ONNX Runtime's default keeps its
        // threads spinning after an inference, waiting for the next: measured, they took a whole core (about
        // 30 ms of CPU in these 30 ms), the one the scan or a hybrid search's text half needed.
        long[] othersMs = new long[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            model.embed(TEXTS.get(round % TEXTS.size()));
            long processBefore = os.getProcessCpuTime();
            long threadBefore = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            double work = 0;
            while (System.nanoTime() - start < 30_000_000L) {
                work += Math.sqrt(work + 1); // the scan
            }
            long others = (os.getProcessCpuTime() - processBefore) - (threads.getCurrentThreadCpuTime() - threadBefore);
            othersMs[round] = others / 1_000_000 + (work < 0 ? 1 : 0);
        }
        Arrays.sort(othersMs);
        assertTrue(othersMs[ROUNDS / 2] < 15, "other threads' CPU in the 30 ms after an embedding, median of "
                + ROUNDS + ": " + othersMs[ROUNDS / 2] + " ms (all: " + Arrays.toString(othersMs) + ")");
    }
}
