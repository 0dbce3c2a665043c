package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Store memories, find them, close the host, start it again and find them still there. */
class MemoryEndToEndTest {

    @TempDir
    Path data;

    static List<String> ids(JsonObject search) {
        List<String> ids = new ArrayList<>();
        search.getAsJsonArray("results").forEach(r -> ids.add(r.getAsJsonObject().get("id").getAsString()));
        return ids;
    }

    @Test
    void memoriesSurviveARestartAndSearchRanksThem() throws Exception {
        String lmdb;
        String gradle;
        String ltm;
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-11-25");
            lmdb = engram.callToolOk("memory_add", Map.of(
                    "content", "The storage layer uses LMDB with durable commits",
                    "metadata", Map.of("topic", "storage"), "episode_id", "ep-1")).get("id").getAsString();
            gradle = engram.callToolOk("memory_add", Map.of(
                    "content", "The build uses Maven, not Gradle")).get("id").getAsString();
            JsonObject added = engram.callToolOk("memory_add", Map.of(
                    "content", "LMDB readers never block writers; LMDB writers serialize",
                    "layer_hint", "LTM"));
            ltm = added.get("id").getAsString();
            assertEquals("LTM", added.get("layer").getAsString());

            JsonObject found = engram.callToolOk("memory_search", Map.of("q", "lmdb", "limit", 10));
            List<String> ranked = ids(found);
            assertEquals(List.of(ltm, lmdb), ranked, "both LMDB memories, the one saying it twice first");

            JsonObject filtered = engram.callToolOk("memory_search", Map.of("q", "lmdb", "layer", "STM"));
            assertEquals(List.of(lmdb), ids(filtered));
            JsonObject byEpisode = engram.callToolOk("memory_search", Map.of("q", "lmdb", "episode", "ep-1"));
            assertEquals(List.of(lmdb), ids(byEpisode));

            JsonObject updated = engram.callToolOk("memory_update", Map.of("id", gradle,
                    "content", "The build uses Maven with bnd-maven-plugin"));
            assertEquals(2, updated.get("version").getAsInt());

            assertEquals(0, engram.closeStdinAndWait(Duration.ofSeconds(5)), engram.stderr());
        }
        try (McpProcess again = McpProcess.start(data)) {
            again.initialize("2025-06-18");
            assertEquals(List.of(ltm, lmdb), ids(again.callToolOk("memory_search", Map.of("q", "LMDB"))),
                    "memories found after restart");
            assertEquals(List.of(gradle), ids(again.callToolOk("memory_search", Map.of("q", "bnd"))),
                    "the update survived the restart");

            JsonObject deleted = again.callToolOk("memory_delete", Map.of("id", lmdb, "backup", true));
            assertTrue(deleted.get("deleted").getAsBoolean());
            assertEquals(List.of(ltm), ids(again.callToolOk("memory_search", Map.of("q", "lmdb"))));
        }
    }

    @Test
    void searchPagesStayWithinTheResponseBudgetAndTheCursorGivesEveryMatchOnce() throws Exception {
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-11-25");
            Set<String> added = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                added.add(engram.callToolOk("memory_add", Map.of("content", "paging note " + "budget ".repeat(i % 5 + 1)
                        + "words to fill the answer ".repeat(15))).get("id").getAsString());
            }
            JsonObject first = engram.callToolOk("memory_search", Map.of("q", "budget", "limit", 100));
            assertTrue(first.get("truncated").getAsBoolean(), "30 long memories exceed 8000 characters: " + first);
            assertTrue(first.getAsJsonArray("results").toString().length() <= 8_000, "first page within the budget");
            assertEquals(30, first.get("total").getAsInt());

            List<JsonObject> all = MemorySearchPages.all(engram, Map.of("q", "budget", "limit", 100));
            List<String> ids = all.stream().map(result -> result.get("id").getAsString()).toList();
            assertEquals(30, ids.size(), "every match exactly once: " + ids);
            assertEquals(added, new HashSet<>(ids));
            for (int i = 1; i < all.size(); i++) {
                assertTrue(all.get(i - 1).get("score").getAsDouble() >= all.get(i).get("score").getAsDouble(),
                        "best first across pages");
            }

            JsonObject foreign = engram.callTool("memory_search", Map.of("q", "words", "cursor",
                    first.get("nextCursor").getAsString()));
            assertTrue(foreign.get("isError").getAsBoolean(), foreign.toString());
            assertTrue(foreign.toString().contains("cursor"), foreign.toString());
        }
    }

    @Test
    void dottedAliasesOfTheOriginalSystemAreAccepted() throws Exception {
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-03-26");
            JsonObject result = engram.callTool("memory.add", Map.of("content", "added through the dotted alias"));
            assertTrue(!result.has("isError") || !result.get("isError").getAsBoolean(), result.toString());
            JsonObject search = engram.callTool("memory.search", Map.of("q", "alias"));
            JsonArray content = search.getAsJsonArray("content");
            assertTrue(content.get(0).getAsJsonObject().get("text").getAsString().contains("dotted alias"),
                    search.toString());
        }
    }
}
