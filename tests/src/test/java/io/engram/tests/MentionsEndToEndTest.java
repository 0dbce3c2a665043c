package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.ToNumberPolicy;
import io.engram.testing.SchemaCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memories link to the entities they mention, through the real engram.jar; and the memory family runs without the graph. */
class MentionsEndToEndTest {

    // integers as Long, as SchemaCheck expects them
    private static final Gson GSON = new GsonBuilder().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();

    @TempDir
    Path data;

    private static JsonObject tool(McpProcess engram, String name) throws Exception {
        for (JsonElement element : engram.result("tools/list", Map.of()).getAsJsonArray("tools")) {
            if (element.getAsJsonObject().get("name").getAsString().equals(name)) {
                return element.getAsJsonObject();
            }
        }
        return null;
    }

    private static Object entities(McpProcess engram) throws Exception {
        return GSON.fromJson(engram.callToolOk("kg_list_entities", Map.of()), Map.class).get("entities");
    }

    @Test
    void aMemoryCountsAsAMentionOfTheEntitiesItNamesUntilItIsDeleted() throws Exception {
        try (McpProcess engram = McpProcess.start(data, Map.of("ENGRAM_NAMESPACE", "proj"))) {
            engram.initialize("2025-11-25");
            JsonObject memoryAdd = tool(engram, "memory_add");
            SchemaCheck.assertPortableObjectSchema(memoryAdd.get("inputSchema").toString());
            engram.callToolOk("kg_create_entity", Map.of("entity", "Python"));

            JsonObject added = engram.callToolOk("memory_add", Map.of("content", "I like Python and Rust",
                    "entities", List.of("Rust")));
            @SuppressWarnings("unchecked")
            Map<String, Object> content = GSON.fromJson(added, Map.class);
            SchemaCheck.assertConforms(memoryAdd.get("outputSchema").toString(), content);
            assertEquals(List.of("Python", "Rust"), content.get("entities"));
            assertEquals(List.of(List.of("Python", 1L, "proj"), List.of("Rust", 1L, "proj")), entities(engram));

            String id = added.get("id").getAsString();
            engram.callToolOk("memory_update", Map.of("id", id, "content", "Only Python now"));
            assertEquals(List.of(List.of("Python", 1L, "proj"), List.of("Rust", 1L, "proj")), entities(engram),
                    "Rust was listed, so it stays linked");
            engram.callToolOk("memory_add", Map.of("content", "python scripts", "layer_hint", "LTM"));
            assertEquals(List.of(List.of("Python", 2L, "proj"), List.of("Rust", 1L, "proj")), entities(engram));

            JsonObject bad = engram.callTool("memory_add", Map.of("content", "x", "entities", List.of("ok", " ")));
            assertTrue(bad.toString().contains("entities[1]"), bad.toString());

            JsonObject deleted = engram.callToolOk("memory_delete", Map.of("id", id));
            assertTrue(deleted.get("deleted").getAsBoolean());
            assertEquals(2, deleted.get("cascaded").getAsInt(), "its links to Python and Rust");
            assertEquals(List.of(List.of("Python", 1L, "proj"), List.of("Rust", 0L, "proj")), entities(engram));
            assertEquals(0, engram.closeStdinAndWait(Duration.ofSeconds(5)), engram.stderr());
        }
    }

    @Test
    void withoutTheGraphBundleMemoriesAreStoredAndLinkNothing() throws Exception {
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-11-25");
            assertEquals(0, engram.closeStdinAndWait(Duration.ofSeconds(5)), engram.stderr());
        }
        Path list = data.resolve("config/bundles.list");
        Files.writeString(list, Files.readString(list).replace("\nengram.kg\n", "\n#engram.kg\n"));
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-11-25");
            assertEquals(null, tool(engram, "kg_list_entities"), "the graph is off");
            JsonObject added = engram.callToolOk("memory_add", Map.of("content", "I like Python and Rust",
                    "entities", List.of("Rust"), "layer_hint", "LTM"));
            assertFalse(added.has("entities"), added.toString());
            String id = added.get("id").getAsString();
            JsonObject found = engram.callToolOk("memory_search", Map.of("q", "rust"));
            assertEquals(List.of(id), MemoryEndToEndTest.ids(found));
            engram.callToolOk("memory_update", Map.of("id", id, "content", "I like Rust"));
            assertTrue(engram.callToolOk("memory_delete", Map.of("id", id)).get("deleted").getAsBoolean());
            assertFalse(engram.stderr().contains("SEVERE") || engram.stderr().contains("WARNING"), engram.stderr());

            // the graph turned on while the host runs: memories added from then on are linked
            Files.writeString(list, Files.readString(list).replace("\n#engram.kg\n", "\nengram.kg\n"));
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (tool(engram, "kg_list_entities") == null) {
                assertTrue(System.nanoTime() < deadline, "engram.kg never started\n" + engram.stderr());
                Thread.sleep(100);
            }
            JsonObject linked = awaitLinked(engram);
            assertEquals("[\"Rust\"]", linked.get("entities").toString(), linked.toString());
            assertFalse(engram.stderr().contains("SEVERE") || engram.stderr().contains("WARNING"), engram.stderr());
            assertEquals(0, engram.closeStdinAndWait(Duration.ofSeconds(5)), engram.stderr());
        }
    }

    /** memory_add once the mention links are bound (they follow the graph's service a moment after its tools). */
    private static JsonObject awaitLinked(McpProcess engram) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            JsonObject added = engram.callToolOk("memory_add", Map.of("content", "Rust again",
                    "entities", List.of("Rust")));
            if (added.has("entities") || System.nanoTime() > deadline) {
                return added;
            }
            Thread.sleep(100);
        }
    }
}
