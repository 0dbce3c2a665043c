package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memories' search index across processes: rebuilt by one host while another writes to the same
 * store, and finished by the next start when a host is killed in the middle of a rebuild.
 */
class SearchIndexEndToEndTest {

    @TempDir
    Path data;

    /** Adds {@code count} memories "{prefix} word(n)" with 32 calls in flight; returns their ids by n. */
    private static Map<Integer, String> addMany(McpProcess engram, String prefix, int from, int count)
            throws Exception {
        Map<Integer, String> ids = new ConcurrentHashMap<>();
        CompletableFuture<?>[] inFlight = new CompletableFuture<?>[32];
        for (int n = from; n < from + count; n++) {
            int slot = n % inFlight.length;
            if (inFlight[slot] != null) {
                inFlight[slot].get(60, TimeUnit.SECONDS);
            }
            int number = n;
            inFlight[slot] = engram.requestAsync("tools/call", Map.of("name", "memory_add",
                    "arguments", Map.of("content", prefix + " " + Words.of(number), "layer_hint", "LTM")))
                    .thenAccept(response -> ids.put(number, response.getAsJsonObject("result")
                            .getAsJsonObject("structuredContent").get("id").getAsString()));
        }
        for (CompletableFuture<?> call : inFlight) {
            if (call != null) {
                call.get(60, TimeUnit.SECONDS);
            }
        }
        return ids;
    }

    /** system_status's memory section, once the store is open (before, it has no counts). */
    static JsonObject memoryStatus(McpProcess engram) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            JsonObject memory = engram.callToolOk("system_status", Map.of()).getAsJsonObject("memory");
            if (memory != null && memory.has("text_index")) {
                return memory;
            }
            assertTrue(System.nanoTime() < deadline, "the store did not open: " + memory);
            Thread.sleep(50);
        }
    }

    /** Asserts the index is ready and holds exactly the memories the store holds. */
    private static void assertIndexMatchesStore(McpProcess engram) throws Exception {
        JsonObject memory = memoryStatus(engram);
        JsonObject index = memory.getAsJsonObject("text_index");
        assertEquals("ready", index.get("state").getAsString(), memory.toString());
        assertEquals(memory.get("stm_count").getAsLong() + memory.get("ltm_count").getAsLong(),
                index.get("documents").getAsLong(), memory.toString());
    }

    private static void assertFound(McpProcess engram, int n, String id) throws Exception {
        JsonObject found = engram.callToolOk("memory_search", Map.of("q", Words.of(n), "limit", 1));
        assertEquals(1, found.getAsJsonArray("results").size(), "memory " + n + " not found");
        assertEquals(id, found.getAsJsonArray("results").get(0).getAsJsonObject().get("id").getAsString());
    }

    @Test
    void oneHostRebuildsWhileAnotherWritesAndNothingIsLost() throws Exception {
        try (McpProcess rebuilder = McpProcess.start(data); McpProcess writer = McpProcess.start(data)) {
            rebuilder.initialize("2025-11-25");
            writer.initialize("2025-11-25");
            Map<Integer, String> seeded = addMany(rebuilder, "seeded", 0, 3000);

            AtomicBoolean stop = new AtomicBoolean();
            Map<Integer, String> written = new ConcurrentHashMap<>();
            List<Throwable> failures = new ArrayList<>();
            Thread writing = new Thread(() -> {
                try {
                    for (int n = 100_000; !stop.get(); n += 50) {
                        written.putAll(addMany(writer, "written meanwhile", n, 50));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            writing.start();
            JsonObject rebuilt = rebuilder.callToolOk("advanced_reindex", Map.of("text", true));
            stop.set(true);
            writing.join();
            assertEquals(List.of(), failures);
            assertTrue(rebuilt.get("textDone").getAsBoolean(), rebuilt.toString());
            assertTrue(rebuilt.get("text").getAsLong() >= 3000, rebuilt.toString());
            assertTrue(!written.isEmpty(), "the other host wrote during the rebuild");

            assertIndexMatchesStore(rebuilder);
            assertIndexMatchesStore(writer);
            for (Map.Entry<Integer, String> memory : written.entrySet()) {
                assertFound(rebuilder, memory.getKey(), memory.getValue());
            }
            for (int n = 0; n < 3000; n += 37) {
                assertFound(writer, n, seeded.get(n));
            }
        }
    }

    @Test
    void aHostKilledInTheMiddleOfARebuildLeavesItForTheNextStartToFinish() throws Exception {
        Map<Integer, String> ids;
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-11-25");
            ids = addMany(engram, "killed rebuild", 0, 6000);
            engram.requestAsync("tools/call", Map.of("name", "advanced_reindex", "arguments", Map.of()));
            // kill once the build has started, long before 6,000 memories are indexed again
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!"building".equals(memoryStatus(engram).getAsJsonObject("text_index").get("state").getAsString())) {
                assertTrue(System.nanoTime() < deadline, "the rebuild never started");
                Thread.sleep(20);
            }
            engram.kill9();
        }
        try (McpProcess restarted = McpProcess.start(data)) {
            restarted.initialize("2025-11-25");
            // searches work at once, on the generation that was active when the build began
            assertFound(restarted, 4321, ids.get(4321));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!"ready".equals(memoryStatus(restarted).getAsJsonObject("text_index").get("state").getAsString())) {
                assertTrue(System.nanoTime() < deadline, "the next start did not finish the build");
                Thread.sleep(100);
            }
            assertIndexMatchesStore(restarted);
            assertEquals(6000L, memoryStatus(restarted).getAsJsonObject("text_index").get("documents").getAsLong());
            for (int n = 0; n < 6000; n += 101) {
                assertFound(restarted, n, ids.get(n));
            }
        }
    }
}
