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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests are served concurrently and each answered by its own id. */
class ConcurrencyEndToEndTest {

    @TempDir
    Path data;

    @Test
    void aBurstOf2000OverlappingCallsIsAnsweredCompletely() throws Exception {
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-11-25");
            List<CompletableFuture<JsonObject>> adds = new ArrayList<>();
            List<CompletableFuture<JsonObject>> others = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                adds.add(engram.requestAsync("tools/call", Map.of("name", "memory_add",
                        "arguments", Map.of("content", "burst memory number " + Words.of(i) + " about concurrency"))));
                others.add(engram.requestAsync("tools/call", Map.of("name", "memory_search",
                        "arguments", Map.of("q", "concurrency", "limit", 5))));
            }
            CompletableFuture.allOf(adds.toArray(CompletableFuture[]::new))
                    .get(120, TimeUnit.SECONDS);
            CompletableFuture.allOf(others.toArray(CompletableFuture[]::new))
                    .get(120, TimeUnit.SECONDS);
            Set<String> ids = new HashSet<>();
            for (CompletableFuture<JsonObject> add : adds) {
                JsonObject response = add.get();
                JsonObject result = response.getAsJsonObject("result");
                assertTrue(result != null && !result.get("isError").getAsBoolean(), response.toString());
                ids.add(result.getAsJsonObject("structuredContent").get("id").getAsString());
            }
            assertEquals(1000, ids.size(), "1000 distinct memories acknowledged");
            for (CompletableFuture<JsonObject> search : others) {
                assertTrue(search.get().has("result"), search.get().toString());
            }
            assertTrue(engram.unmatched.isEmpty(), "no response with an unknown id: " + engram.unmatched);

            // Every acknowledged memory is there and findable by its own word.
            for (int i = 0; i < 1000; i += 37) {
                JsonObject found = engram.callToolOk("memory_search", Map.of("q", Words.of(i), "limit", 1));
                String content = found.getAsJsonArray("results").get(0).getAsJsonObject().get("content").getAsString();
                assertTrue(content.contains(" " + Words.of(i) + " "), Words.of(i) + " found: " + content);
            }
        }
    }
}
