package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every acknowledged write survives kill -9; SIGTERM shuts down cleanly and says so. */
class DurabilityEndToEndTest {

    @TempDir
    Path data;

    @Test
    void everyAcknowledgedWriteSurvivesKill9InTheMiddleOfWrites() throws Exception {
        Map<Integer, String> acknowledged = new ConcurrentHashMap<>();
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-11-25");
            // Keep 16 writes in flight and kill the host while they are being committed.
            CompletableFuture<?>[] inFlight = new CompletableFuture<?>[16];
            int sent = 0;
            while (acknowledged.size() < 300) {
                int slot = sent % inFlight.length;
                if (inFlight[slot] != null) {
                    inFlight[slot].get(30, TimeUnit.SECONDS);
                }
                int n = sent++;
                inFlight[slot] = engram.requestAsync("tools/call", Map.of("name", "memory_add",
                        "arguments", Map.of("content", "durable write " + Words.of(n))))
                        .thenAccept(response -> {
                            JsonObject result = response.getAsJsonObject("result");
                            if (result != null && !result.get("isError").getAsBoolean()) {
                                acknowledged.put(n, result.getAsJsonObject("structuredContent").get("id").getAsString());
                            }
                        });
            }
            engram.kill9();
        }
        int ackedAtKill = acknowledged.size();
        try (McpProcess restarted = McpProcess.start(data)) {
            restarted.initialize("2025-11-25");
            // the search index was written in the memories' own transactions: after the kill it is
            // ready at once and holds exactly the memories the store holds (acknowledged or not)
            JsonObject memory = SearchIndexEndToEndTest.memoryStatus(restarted);
            JsonObject index = memory.getAsJsonObject("text_index");
            assertEquals("ready", index.get("state").getAsString());
            long stored = memory.get("stm_count").getAsLong() + memory.get("ltm_count").getAsLong();
            assertEquals(stored, index.get("documents").getAsLong());
            assertTrue(stored >= acknowledged.size(), stored + " stored, " + acknowledged.size() + " acknowledged");
            for (Map.Entry<Integer, String> write : acknowledged.entrySet()) {
                JsonObject found = restarted.callToolOk("memory_search",
                        Map.of("q", Words.of(write.getKey()), "limit", 1));
                assertEquals(1, found.getAsJsonArray("results").size(), "acknowledged write " + write + " lost");
                assertEquals(write.getValue(),
                        found.getAsJsonArray("results").get(0).getAsJsonObject().get("id").getAsString());
            }
        }
        assertTrue(ackedAtKill >= 300);
    }

    @Test
    void sigtermDrainsSyncsClosesAndExitsZeroWithin2Seconds() throws Exception {
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-11-25");
            engram.callToolOk("memory_add", Map.of("content", "written before SIGTERM", "layer_hint", "LTM"));
            long signalled = System.nanoTime();
            new ProcessBuilder("kill", "-TERM", Long.toString(engram.process.pid())).start().waitFor();
            assertTrue(engram.process.waitFor(5, TimeUnit.SECONDS), "exited");
            long tookMs = (System.nanoTime() - signalled) / 1_000_000;
            assertEquals(0, engram.process.exitValue(), engram.stderr());
            assertTrue(tookMs < 2000, "exit within 2 s of SIGTERM, took " + tookMs + " ms");
            String log = engram.stderr();
            for (String step : List.of("Signal SIGTERM received", "Flushing", "Stopping tasks", "Closing database",
                    "Shutdown complete")) {
                assertTrue(log.contains(step), "logs '" + step + "':\n" + log);
            }
        }
        try (McpProcess again = McpProcess.start(data)) {
            again.initialize("2025-11-25");
            JsonObject found = again.callToolOk("memory_search", Map.of("q", "SIGTERM"));
            assertEquals(1, found.getAsJsonArray("results").size());
            assertEquals(0, again.closeStdinAndWait(Duration.ofSeconds(5)));
        }
    }

    @Test
    void restartRightAfterKill9OpensTheStoreEveryTime() throws Exception {
        for (int cycle = 0; cycle < 5; cycle++) {
            try (McpProcess engram = McpProcess.start(data)) {
                engram.initialize("2025-11-25");
                JsonObject added = engram.callToolOk("memory_add",
                        Map.of("content", "cycle " + Words.of(cycle), "layer_hint", "LTM"));
                assertTrue(added.has("id"), engram.stderr());
                engram.kill9();
            }
        }
        try (McpProcess last = McpProcess.start(data)) {
            last.initialize("2025-11-25");
            for (int cycle = 0; cycle < 5; cycle++) {
                assertEquals(1, last.callToolOk("memory_search", Map.of("q", Words.of(cycle)))
                        .getAsJsonArray("results").size(), "cycle " + cycle);
            }
        }
    }
}
