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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference-compatible family (engram.compat) in the real engram.jar: off as shipped, switched
 * on live by uncommenting its line in config/bundles.list, then the reference server's tools doing
 * a round trip, and overlapping calls from one client losing nothing.
 */
class CompatEndToEndTest {

    static final Set<String> COMPAT_TOOLS = Set.of("create_entities", "create_relations", "add_observations",
            "delete_entities", "delete_observations", "delete_relations", "read_graph", "search_nodes",
            "open_nodes");

    private static final Gson GSON = new GsonBuilder().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
            .create();

    @TempDir
    Path data;

    /** Output schemas of the compat tools as listed (empty when the family is off). */
    private static Map<String, String> listCompatTools(McpProcess engram) throws Exception {
        Map<String, String> outputSchemas = new HashMap<>();
        for (JsonElement element : engram.result("tools/list", Map.of()).getAsJsonArray("tools")) {
            JsonObject tool = element.getAsJsonObject();
            String name = tool.get("name").getAsString();
            if (COMPAT_TOOLS.contains(name)) {
                SchemaCheck.assertPortableObjectSchema(tool.get("inputSchema").toString());
                SchemaCheck.assertPortableObjectSchema(tool.get("outputSchema").toString());
                outputSchemas.put(name, tool.get("outputSchema").toString());
            }
        }
        return outputSchemas;
    }

    private static Map<String, Object> call(McpProcess engram, Map<String, String> schemas, String tool,
            Map<String, ?> arguments) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> content = GSON.fromJson(engram.callToolOk(tool, arguments), Map.class);
        SchemaCheck.assertConforms(schemas.get(tool), content);
        return content;
    }

    /** Uncomments engram.compat in the data folder's bundles.list, as a user does (write aside, then rename). */
    static void enableCompat(Path data) throws Exception {
        Path list = data.resolve("config/bundles.list");
        String text = Files.readString(list, StandardCharsets.UTF_8);
        assertTrue(text.contains("\n# engram.compat\n"), "shipped commented out:\n" + text);
        Path next = list.resolveSibling("bundles.list.edit");
        Files.writeString(next, text.replace("\n# engram.compat\n", "\nengram.compat\n"), StandardCharsets.UTF_8);
        Files.move(next, list, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Map<String, Object> entity(String name, String type, String... observations) {
        return Map.of("name", name, "entityType", type, "observations", List.of(observations));
    }

    private static Map<String, Object> relation(String from, String to, String type) {
        return Map.of("from", from, "to", to, "relationType", type);
    }

    @Test
    void offAsShippedThenSwitchedOnLiveForACreateSearchOpenDeleteRoundTrip() throws Exception {
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-11-25");
            assertEquals(Map.of(), listCompatTools(engram), "off by default");
            engram.notifications.clear();

            enableCompat(data);
            engram.awaitTools(names -> names.containsAll(COMPAT_TOOLS), Duration.ofSeconds(15));
            Map<String, String> schemas = listCompatTools(engram);
            assertEquals(COMPAT_TOOLS, schemas.keySet());

            assertEquals(List.of(Map.of("name", "Ana", "entityType", "person", "observations",
                    List.of("prefers LMDB"))), call(engram, schemas, "create_entities", Map.of("entities", List.of(
                            entity("Ana", "person", "prefers LMDB")))).get("entities"));
            call(engram, schemas, "create_entities", Map.of("entities", List.of(entity("Engram", "project"),
                    entity("Ana", "robot", "ignored: the name is taken"))));
            call(engram, schemas, "create_relations", Map.of("relations",
                    List.of(relation("Ana", "Engram", "works_on"))));
            assertEquals(List.of(Map.of("entityName", "Engram", "addedObservations", List.of("stores on LMDB"))),
                    call(engram, schemas, "add_observations", Map.of("observations", List.of(Map.of(
                            "entityName", "Engram", "contents", List.of("stores on LMDB"))))).get("results"));

            Map<String, Object> found = call(engram, schemas, "search_nodes", Map.of("query", "lmdb"));
            assertEquals(2, ((List<?>) found.get("entities")).size(), found.toString());
            assertEquals(List.of(relation("Ana", "Engram", "works_on")), found.get("relations"));
            Map<String, Object> opened = call(engram, schemas, "open_nodes", Map.of("names", List.of("Ana")));
            assertEquals(List.of(Map.of("name", "Ana", "entityType", "person", "observations",
                    List.of("prefers LMDB"))), opened.get("entities"));
            assertEquals(List.of(relation("Ana", "Engram", "works_on")), opened.get("relations"));

            assertEquals(Map.of("success", true, "message", "Entities deleted successfully"),
                    call(engram, schemas, "delete_entities", Map.of("entityNames", List.of("Engram"))));
            Map<String, Object> rest = call(engram, schemas, "read_graph", Map.of());
            assertEquals(List.of(entity("Ana", "person", "prefers LMDB")), rest.get("entities"));
            assertEquals(List.of(), rest.get("relations"), "the relation went with its entity");

            // an unknown entity: the reference's error text, and the host goes on serving
            JsonObject failed = engram.callTool("add_observations", Map.of("observations", List.of(Map.of(
                    "entityName", "Nobody", "contents", List.of("x")))));
            assertTrue(failed.get("isError").getAsBoolean(), failed.toString());
            assertTrue(failed.toString().contains("Entity with name Nobody not found"), failed.toString());
            assertFalse(call(engram, schemas, "read_graph", Map.of()).containsKey("nextCursor"));

            // export as the reference's memory.jsonl, import into another namespace: the same graph
            Path file = data.resolve("exported/memory.jsonl");
            JsonObject exported = engram.callToolOk("export_memory_file", Map.of("path", file.toString()));
            assertEquals(1, exported.get("entities").getAsInt(), exported.toString());
            assertEquals("{\"type\":\"entity\",\"name\":\"Ana\",\"entityType\":\"person\",\"observations\":"
                    + "[\"prefers LMDB\"]}", Files.readString(file, StandardCharsets.UTF_8));
            JsonObject imported = engram.callToolOk("import_memory_file", Map.of("path", file.toString(),
                    "namespace", "copy"));
            assertEquals(1, imported.get("entitiesCreated").getAsInt(), imported.toString());
            assertEquals(rest.get("entities"), call(engram, schemas, "read_graph", Map.of("namespace", "copy"))
                    .get("entities"));
        }
    }

    @Test
    void eightOverlappingCreateEntitiesCallsFromOneClientLoseNothing() throws Exception {
        // the reference reads, changes and rewrites its whole file per call: the same 8 calls to it, all
        // acknowledged, left 25 of the 200 entities in each of 3 runs (server-memory 2026.8.31)
        enableCompatBeforeStart();
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-11-25");
            Map<String, String> schemas = listCompatTools(engram);
            assertEquals(COMPAT_TOOLS, schemas.keySet());
            List<CompletableFuture<JsonObject>> calls = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                List<Map<String, Object>> entities = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    entities.add(entity("call" + c + "-entity" + i, "test", "made by call " + c));
                }
                calls.add(engram.requestAsync("tools/call", Map.of("name", "create_entities",
                        "arguments", Map.of("entities", entities))));
            }
            for (CompletableFuture<JsonObject> each : calls) {
                JsonObject answer = each.get(30, TimeUnit.SECONDS);
                assertFalse(answer.has("error"), answer.toString());
                JsonObject result = answer.getAsJsonObject("result");
                assertFalse(result.has("isError") && result.get("isError").getAsBoolean(), answer.toString());
                assertEquals(25, result.getAsJsonObject("structuredContent")
                        .getAsJsonArray("entities").size(), "each call acknowledges its 25 entities");
            }
            Set<Object> names = new HashSet<>();
            String cursor = null;
            do {
                Map<String, Object> page = call(engram, schemas, "read_graph", cursor == null ? Map.of()
                        : Map.of("cursor", cursor));
                for (Object each : (List<?>) page.get("entities")) {
                    names.add(((Map<?, ?>) each).get("name"));
                }
                cursor = (String) page.get("nextCursor");
            } while (cursor != null);
            assertEquals(200, names.size(), "every acknowledged entity is there");
        }
    }

    /** Starts the host once to lay out the data folder, then switches the family on before the real start. */
    private void enableCompatBeforeStart() throws Exception {
        try (McpProcess first = McpProcess.start(data)) {
            first.initialize("2025-11-25");
        }
        enableCompat(data);
    }
}
