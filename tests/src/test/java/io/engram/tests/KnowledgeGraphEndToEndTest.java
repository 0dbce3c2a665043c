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
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kg family in the real engram.jar: listed with valid schemas, and a create/relate/read/delete round trip. */
class KnowledgeGraphEndToEndTest {

    static final Set<String> KG_TOOLS = Set.of("kg_list_entities", "kg_get_entity", "kg_create_entity",
            "kg_create_relation", "kg_search_nodes", "kg_read_graph", "kg_tag_entity", "kg_get_tags", "kg_remove_tag",
            "kg_delete_entity", "kg_delete_relation");

    // integers as Long, as SchemaCheck expects them
    private static final Gson GSON = new GsonBuilder().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();

    /** The session's namespace: the answers below name it ("global"), whatever folder the test runs in. */
    private static final Map<String, String> IN_GLOBAL = Map.of("ENGRAM_NAMESPACE", "global");

    @TempDir
    Path data;

    /** Output schema of each kg tool, as listed. */
    private static Map<String, String> listKgTools(McpProcess engram) throws Exception {
        Map<String, String> outputSchemas = new HashMap<>();
        for (JsonElement element : engram.result("tools/list", Map.of()).getAsJsonArray("tools")) {
            JsonObject tool = element.getAsJsonObject();
            String name = tool.get("name").getAsString();
            if (!name.startsWith("kg_")) {
                continue;
            }
            SchemaCheck.assertPortableObjectSchema(tool.get("inputSchema").toString());
            SchemaCheck.assertPortableObjectSchema(tool.get("outputSchema").toString());
            assertFalse(tool.get("description").getAsString().isBlank(), name);
            assertTrue(tool.has("annotations"), name);
            outputSchemas.put(name, tool.get("outputSchema").toString());
        }
        assertEquals(KG_TOOLS, outputSchemas.keySet());
        return outputSchemas;
    }

    /** Polls tools/list until it has {@code name} (FileInstall polls every second; a startup notice may come first). */
    private static void awaitTool(McpProcess engram, String name) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!engram.result("tools/list", Map.of()).toString().contains("\"" + name + "\"")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " never listed\n" + engram.stderr());
            }
            Thread.sleep(100);
        }
    }

    /** Calls a tool, checks its structured content against its listed output schema. */
    private static Map<String, Object> call(McpProcess engram, Map<String, String> schemas, String tool,
            Map<String, ?> arguments) throws Exception {
        JsonObject result = engram.callToolOk(tool, arguments);
        @SuppressWarnings("unchecked")
        Map<String, Object> content = GSON.fromJson(result, Map.class);
        SchemaCheck.assertConforms(schemas.get(tool), content);
        return content;
    }

    @Test
    void anotherBundleLinksItsRecordsToEntitiesInItsOwnTransaction() throws Exception {
        Path plugin = PluginJars.build("noter", data.resolve("plugins"), Map.of());
        try (McpProcess engram = McpProcess.start(data, IN_GLOBAL)) {
            engram.initialize("2025-11-25");
            Map<String, String> schemas = listKgTools(engram);
            PluginJars.deploy(plugin, data.resolve("deploy"), "noter.jar");
            awaitTool(engram, "note_add");

            JsonObject stored = engram.callTool("note_add", Map.of("id", "n1", "text", "LMDB suits Java hosts",
                    "entities", List.of("LMDB", "Java")));
            assertFalse(stored.has("isError") && stored.get("isError").getAsBoolean(), stored + engram.stderr());
            assertEquals(List.of(List.of("Java", 1L, "global"), List.of("LMDB", 1L, "global")),
                    call(engram, schemas, "kg_list_entities", Map.of()).get("entities"));

            JsonObject failed = engram.callTool("note_add", Map.of("id", "n2", "text", "Rust has LMDB bindings",
                    "entities", List.of("LMDB", "Rust"), "fail", true));
            assertTrue(failed.get("isError").getAsBoolean(), failed.toString());
            assertEquals(List.of(List.of("Java", 1L, "global"), List.of("LMDB", 1L, "global")),
                    call(engram, schemas, "kg_list_entities", Map.of()).get("entities"),
                    "the failed note left no entity, edge or count behind");
            assertEquals(List.of(List.of("Memory::n1", "Entity::LMDB", "MENTIONS", "global")),
                    call(engram, schemas, "kg_get_entity", Map.of("entity", "LMDB")).get("relations"));
        }
    }

    @Test
    void createRelateReadAndDeleteThroughTheRealHost() throws Exception {
        try (McpProcess engram = McpProcess.start(data, IN_GLOBAL)) {
            engram.initialize("2025-11-25");
            Map<String, String> schemas = listKgTools(engram);

            assertEquals(true, call(engram, schemas, "kg_create_entity", Map.of("entity", "LMDB",
                    "entityType", "library", "observations", List.of("memory-mapped B+tree"))).get("created"));
            assertEquals(false, call(engram, schemas, "kg_create_entity", Map.of("entity", "LMDB")).get("created"));
            call(engram, schemas, "kg_create_relation", Map.of("src", "Memory::mem_1", "dst", "LMDB",
                    "relation", "MENTIONS"));
            call(engram, schemas, "kg_create_relation", Map.of("src", "Engram", "dst", "LMDB"));
            call(engram, schemas, "kg_tag_entity", Map.of("entity", "LMDB", "tags", List.of("storage", "storage")));
            // the original system's dotted name is an alias
            JsonObject aliased = engram.callTool("kg.create_relation", Map.of("src", "Document::notes.md",
                    "dst", "LMDB", "relation", "EVIDENCE"));
            assertFalse(aliased.has("isError") && aliased.get("isError").getAsBoolean(), aliased.toString());

            Map<String, Object> entity = call(engram, schemas, "kg_get_entity", Map.of("entity", "LMDB"));
            assertEquals("LMDB", entity.get("entity"));
            assertEquals(List.of("Document::notes.md"), entity.get("docs"));
            assertEquals(3L, entity.get("count"), "three relations into it");
            @SuppressWarnings("unchecked")
            Map<String, Object> node = (Map<String, Object>) entity.get("node");
            assertEquals(1L, node.get("mentionCount"));
            assertEquals(List.of("storage"), node.get("tags"));
            assertEquals(List.of(List.of("LMDB", 1L, "global"), List.of("Engram", 0L, "global")),
                    call(engram, schemas, "kg_list_entities", Map.of()).get("entities"));

            Map<String, Object> names = call(engram, schemas, "kg_read_graph", Map.of("namesOnly", true));
            assertEquals(List.of(List.of("Entity::Engram", "global"), List.of("Entity::LMDB", "global"),
                    List.of("Document::notes.md", "global"), List.of("Memory::mem_1", "global")), names.get("nodeKeys"));
            assertEquals(3, ((List<?>) names.get("edges")).size());
            assertEquals(false, names.get("truncated"));
            assertFalse(names.containsKey("nextCursor"));
            JsonObject graph = engram.callToolOk("system_status", Map.of()).getAsJsonObject("graph");
            assertEquals(4, graph.get("nodes").getAsInt(), graph.toString());
            assertEquals(3, graph.get("edges").getAsInt(), graph.toString());
            assertEquals(0, engram.closeStdinAndWait(Duration.ofSeconds(5)), engram.stderr());
        }
        try (McpProcess again = McpProcess.start(data, IN_GLOBAL)) {
            again.initialize("2025-06-18");
            Map<String, String> schemas = listKgTools(again);
            assertEquals(List.of(List.of("storage", "global")),
                    call(again, schemas, "kg_get_tags", Map.of()).get("tags"), "the graph survived the restart");
            Map<String, Object> deleted = call(again, schemas, "kg_delete_entity", Map.of("entity", "LMDB"));
            assertEquals(4L, deleted.get("removedItems"), "three relations and a tag");
            Map<String, Object> graph = call(again, schemas, "kg_read_graph", Map.of());
            assertEquals(List.of(), graph.get("edges"));
            assertEquals(3L, graph.get("count"), "the nodes at the other ends stay");
            assertEquals(List.of(), call(again, schemas, "kg_get_tags", Map.of()).get("tags"));
            JsonObject bad = again.callTool("kg_create_relation", Map.of("src", "Thing::x", "dst", "LMDB"));
            assertTrue(bad.get("isError").getAsBoolean(), bad.toString());
            assertTrue(bad.toString().contains("unknown node type 'Thing'"), bad.toString());
        }
    }
}
