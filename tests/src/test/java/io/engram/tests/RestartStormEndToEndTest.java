package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an IDE does to a server all day, a hundred times in a row: kill -9 while writes are in
 * flight, restart at once on the same store. Every start must open the store (the dying
 * process's lock must never block the next one) and every acknowledged write must survive.
 */
class RestartStormEndToEndTest {

    private static final int CYCLES = 100;
    private static final int IN_FLIGHT = 4;
    /** Writes sent per life at most, so that one session listing (limit 100) shows them all. */
    private static final int MAX_WRITES_PER_LIFE = 80;

    @TempDir
    Path data;

    @Test
    void hundredKill9RestartsLoseNoAcknowledgedWriteAndNeverFailToStart() throws Exception {
        List<Map<String, String>> acknowledgedPerLife = new ArrayList<>();
        int writeNumber = 0;
        for (int life = 0; life < CYCLES; life++) {
            Map<String, String> acknowledged = new ConcurrentHashMap<>(); // id -> its word
            acknowledgedPerLife.add(acknowledged);
            try (McpProcess engram = McpProcess.start(data)) {
                engram.initialize("2025-11-25");
                // The start counts as good only when storage answers: the first write must succeed.
                String firstWord = Words.of(writeNumber++);
                JsonObject first = engram.callToolOk("memory_add", write(life, firstWord));
                acknowledged.put(first.get("id").getAsString(), firstWord);

                // Keep writes in flight and kill the host at a random moment while they are being committed.
                long killAt = System.nanoTime() + ThreadLocalRandom.current().nextLong(20, 150) * 1_000_000;
                List<CompletableFuture<?>> inFlight = new ArrayList<>();
                for (int sent = 1; sent < MAX_WRITES_PER_LIFE && System.nanoTime() < killAt; sent++) {
                    if (inFlight.size() == IN_FLIGHT) {
                        inFlight.remove(0).get(30, TimeUnit.SECONDS);
                    }
                    String word = Words.of(writeNumber++);
                    inFlight.add(engram.requestAsync("tools/call", Map.of("name", "memory_add",
                            "arguments", write(life, word))).thenAccept(response -> {
                                JsonObject result = response.getAsJsonObject("result");
                                if (result != null && !result.get("isError").getAsBoolean()) {
                                    acknowledged.put(result.getAsJsonObject("structuredContent").get("id")
                                            .getAsString(), word);
                                }
                            }));
                }
                engram.kill9();
            }
        }

        int total = 0;
        try (McpProcess last = McpProcess.start(data)) {
            last.initialize("2025-11-25");
            for (int life = 0; life < CYCLES; life++) {
                Map<String, String> acknowledged = acknowledgedPerLife.get(life);
                total += acknowledged.size();
                Set<String> stored = new HashSet<>(MemorySearchPages.ids(last,
                        Map.of("session", session(life), "limit", 100)));
                for (Map.Entry<String, String> write : acknowledged.entrySet()) {
                    assertTrue(stored.contains(write.getKey()),
                            "life " + life + ": acknowledged write " + write + " lost; stored: " + stored);
                }
            }
            // Spot-check that the stored records are the writes themselves, found by their own words.
            for (int life = 0; life < CYCLES; life += 10) {
                Map.Entry<String, String> write = acknowledgedPerLife.get(life).entrySet().iterator().next();
                JsonObject found = last.callToolOk("memory_search", Map.of("q", write.getValue(), "limit", 1));
                assertEquals(write.getKey(),
                        found.getAsJsonArray("results").get(0).getAsJsonObject().get("id").getAsString());
            }
        }
        assertTrue(total >= CYCLES * 2, "writes in flight were acknowledged too, not only the first: " + total);
        System.out.println("Restart storm: " + CYCLES + " kill -9 restarts, all started; " + total
                + " acknowledged writes, all present");
    }

    private static Map<String, Object> write(int life, String word) {
        return Map.of("content", "storm write " + word + " in life " + life, "layer_hint", "LTM",
                "session_id", session(life));
    }

    private static String session(int life) {
        return "storm-" + life;
    }
}
