package io.engram.mcp.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallMetricsTest {

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));
    private final CallMetrics metrics = new CallMetrics(now::get);

    private static long ms(double millis) {
        return (long) (millis * 1_000_000);
    }

    @Test
    void emptyStatisticsAreZeros() {
        Map<String, Object> status = metrics.status();
        assertEquals("metrics", metrics.section());
        assertEquals(0L, status.get("count"));
        assertEquals(0L, status.get("errors"));
        assertEquals(0.0, status.get("avgMs"));
        assertEquals(0.0, status.get("p95Ms"));
        assertEquals(0.0, status.get("qps1m"));
        assertEquals(Map.of(), status.get("tools"));
    }

    @Test
    void countsErrorsAndLatencies() {
        for (int i = 1; i <= 100; i++) {
            metrics.record("memory_add", ms(i), i % 10 == 0);
        }
        metrics.record(null, ms(0.5), true);

        Map<String, Object> status = metrics.status();
        assertEquals(101L, status.get("count"));
        assertEquals(11L, status.get("errors"));
        assertEquals((5050 + 0.5) / 101, (double) status.get("avgMs"), 0.001);
        assertEquals(0.5, status.get("lastMs"));
        assertEquals(50.0, status.get("p50Ms"));
        assertEquals(95.0, status.get("p95Ms"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> tools = (Map<String, Map<String, Object>>) status.get("tools");
        assertEquals(Map.of("count", 100L, "errors", 10L, "p50Ms", 50.0), tools.get("memory_add"));
        assertEquals(1, tools.size(), "a refused call belongs to no tool");
    }

    @Test
    void percentilesCoverOnlyTheRecentWindow() {
        for (int i = 0; i < CallMetrics.WINDOW; i++) {
            metrics.record("slow", ms(1_000), false);
        }
        for (int i = 0; i < CallMetrics.WINDOW; i++) {
            metrics.record("fast", ms(2), false);
        }
        Map<String, Object> status = metrics.status();
        assertEquals(2.0, status.get("p95Ms"));
        assertEquals(501.0, (double) status.get("avgMs"), 0.001, "the average covers every call");
    }

    @Test
    void ratePerSecondCoversTheLastMinute() {
        for (int i = 0; i < 120; i++) {
            metrics.record("memory_search", ms(1), false);
        }
        assertEquals(2.0, metrics.status().get("qps1m"));

        now.addAndGet(TimeUnit.SECONDS.toNanos(30));
        for (int i = 0; i < 60; i++) {
            metrics.record("memory_search", ms(1), false);
        }
        assertEquals(3.0, metrics.status().get("qps1m"));

        now.addAndGet(TimeUnit.SECONDS.toNanos(45));
        assertEquals(1.0, metrics.status().get("qps1m"), "the first burst left the window");

        now.addAndGet(TimeUnit.SECONDS.toNanos(3_600));
        assertEquals(0.0, metrics.status().get("qps1m"));
    }

    @Test
    void concurrentRecordingLosesNothing() throws InterruptedException {
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            String tool = "tool_" + (t % 2);
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    metrics.record(tool, ms(1), i % 2 == 0);
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Map<String, Object> status = metrics.status();
        assertEquals(80_000L, status.get("count"));
        assertEquals(40_000L, status.get("errors"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> tools = (Map<String, Map<String, Object>>) status.get("tools");
        assertEquals(40_000L, tools.get("tool_0").get("count"));
    }
}
