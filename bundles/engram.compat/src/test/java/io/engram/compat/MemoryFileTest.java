package io.engram.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.api.tool.Arguments;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import io.engram.kg.GraphModel;
import io.engram.storage.LmdbStore;
import io.engram.storage.StoreSettings;
import io.engram.testing.QuietToolContext;
import io.engram.testing.SchemaCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * import_memory_file and export_memory_file against a real LMDB store and real files in the
 * reference server's format (as its saveGraph writes them: one object a line, entities first, no
 * trailing newline).
 */
class MemoryFileTest {

    private static final ToolContext PROJ = QuietToolContext.inNamespace("proj");

    @TempDir
    Path dir;

    private LmdbStore store;
    private Tool importTool;
    private Tool exportTool;

    @BeforeEach
    void openStore() {
        store = new LmdbStore(StoreSettings.defaults(dir.resolve("data")));
        store.start();
        store.awaitOpen(Duration.ofSeconds(10));
        ReferenceGraph graph = new ReferenceGraph(store, new GraphModel(Clock.systemUTC()), CompatSettings.DEFAULTS);
        importTool = new ImportMemoryFileTool(graph);
        exportTool = new ExportMemoryFileTool(graph);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static Map<String, Object> call(Tool tool, Map<String, Object> arguments) {
        SchemaCheck.assertPortableObjectSchema(tool.outputSchema());
        return SchemaCheck.assertStructuredSuccess(tool, raw(tool, arguments));
    }

    private static ToolResult raw(Tool tool, Map<String, Object> arguments) {
        try {
            return tool.call(new Arguments(arguments), PROJ);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private Map<String, Object> importFile(Path file, String namespace) {
        return call(importTool, namespace == null ? Map.of("path", file.toString())
                : Map.of("path", file.toString(), "namespace", namespace));
    }

    private Set<String> exportLines(String namespace) throws Exception {
        Path out = dir.resolve("export-" + namespace + ".jsonl");
        call(exportTool, Map.of("path", out.toString(), "namespace", namespace));
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertFalse(text.endsWith("\n"), "no trailing newline, as the reference writes");
        List<String> lines = text.lines().toList();
        assertEquals(lines.size(), new HashSet<>(lines).size(), "each record once");
        return new HashSet<>(lines);
    }

    @Test
    void badRecordsAreNamedByLineAndTheRestIsImportedOnceHoweverOftenItRuns() throws Exception {
        Path file = dir.resolve("memory.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"type\":\"entity\",\"name\":\"Ana\",\"entityType\":\"person\",\"observations\":[\"likes tea\"]}",
                "{\"type\":\"entity\",\"name\":\"Engram\",\"entityType\":\"project\",\"observations\":[]}",
                "{\"type\":\"entity\",\"name\":\"Broken\"",
                "",
                "{\"type\":\"entity\",\"entityType\":\"person\",\"observations\":[]}",
                "{\"type\":\"thing\",\"name\":\"X\"}",
                "{\"type\":\"entity\",\"name\":\"Bo\",\"entityType\":\"person\",\"observations\":\"not a list\"}",
                "{\"type\":\"relation\",\"from\":\"Ana\",\"to\":\"Engram\",\"relationType\":\"works_on\"}",
                "[1, 2]"), StandardCharsets.UTF_8);
        Map<String, Object> first = importFile(file, null);
        assertEquals("proj", first.get("namespace"));
        assertEquals("jsonl", first.get("format"));
        assertEquals(3L, first.get("records"));
        assertEquals(2L, first.get("entitiesCreated"));
        assertEquals(1L, first.get("observationsAdded"));
        assertEquals(1L, first.get("relationsCreated"));
        assertEquals(5L, first.get("errorCount"));
        List<String> lines = new ArrayList<>();
        for (Object each : (List<?>) first.get("errors")) {
            Map<?, ?> error = (Map<?, ?>) each;
            lines.add(error.get("line") + ": " + error.get("message"));
        }
        assertEquals(List.of("3: not JSON", "5: name is missing",
                "6: type must be \"entity\" or \"relation\", got \"thing\"",
                "7: observations: expected an array of strings", "9: expected a JSON object"), lines);

        Map<String, Object> again = importFile(file, null);
        assertEquals(0L, again.get("entitiesCreated"));
        assertEquals(0L, again.get("observationsAdded"));
        assertEquals(0L, again.get("relationsCreated"));
        assertEquals(Set.of(
                "{\"type\":\"entity\",\"name\":\"Ana\",\"entityType\":\"person\",\"observations\":[\"likes tea\"]}",
                "{\"type\":\"entity\",\"name\":\"Engram\",\"entityType\":\"project\",\"observations\":[]}",
                "{\"type\":\"relation\",\"from\":\"Ana\",\"to\":\"Engram\",\"relationType\":\"works_on\"}"),
                exportLines("proj"));
    }

    @Test
    void anExistingEntityKeepsItsTypeAndGainsTheObservationsItLacks() throws Exception {
        Path first = dir.resolve("a.jsonl");
        Files.writeString(first, "{\"type\":\"entity\",\"name\":\"Ana\",\"entityType\":\"person\",\"observations\":[\"a\"]}");
        Path second = dir.resolve("b.jsonl");
        Files.writeString(second, "{\"type\":\"entity\",\"name\":\"Ana\",\"entityType\":\"robot\",\"observations\":[\"a\",\"b\"]}");
        importFile(first, null);
        Map<String, Object> merged = importFile(second, null);
        assertEquals(0L, merged.get("entitiesCreated"));
        assertEquals(1L, merged.get("observationsAdded"));
        assertEquals(Set.of("{\"type\":\"entity\",\"name\":\"Ana\",\"entityType\":\"person\",\"observations\":[\"a\",\"b\"]}"),
                exportLines("proj"));
    }

    @Test
    void theOlderMemoryJsonAsOneObjectIsReadToo() throws Exception {
        Path file = dir.resolve("memory.json");
        Files.writeString(file, """
                {"entities": [{"name": "Ana", "entityType": "person", "observations": ["x"]}, {"name": 7}],
                 "relations": [{"from": "Ana", "to": "Bo", "relationType": "knows"}]}""");
        Map<String, Object> imported = importFile(file, null);
        assertEquals("json", imported.get("format"));
        assertEquals(1L, imported.get("entitiesCreated"));
        assertEquals(1L, imported.get("relationsCreated"));
        assertEquals(List.of(Map.of("line", "entities[1]", "message", "name: expected a string")),
                imported.get("errors"));
    }

    @Test
    void tenThousandEntitiesImportedThenExportedGiveTheSameGraph() throws Exception {
        Set<String> records = new HashSet<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            String entity = "{\"type\":\"entity\",\"name\":\"entity-" + i + "\",\"entityType\":\"type-" + (i % 7)
                    + "\",\"observations\":[\"fact " + i + "\",\"another fact about " + i + "\"]}";
            String relation = "{\"type\":\"relation\",\"from\":\"entity-" + i + "\",\"to\":\"entity-" + ((i * 31) % 10_000)
                    + "\",\"relationType\":\"rel_" + (i % 3) + "\"}";
            records.add(entity);
            records.add(relation);
            text.append(entity).append('\n').append(relation).append('\n');
        }
        Path file = dir.resolve("big.jsonl");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Map<String, Object> imported = importFile(file, "big");
        assertEquals(10_000L, imported.get("entitiesCreated"));
        assertEquals(10_000L, imported.get("relationsCreated"));
        assertEquals(0L, imported.get("errorCount"));
        Set<String> exported = exportLines("big");
        assertEquals(records, exported);

        // the export imports into another namespace as the same graph
        Map<String, Object> again = importFile(dir.resolve("export-big.jsonl"), "copy");
        assertEquals(20_000L, again.get("records"));
        assertEquals(records, exportLines("copy"));
    }

    @Test
    void aRelativeOrMissingPathIsAClearError() {
        InvalidArgumentException relative = org.junit.jupiter.api.Assertions.assertThrows(
                InvalidArgumentException.class, () -> raw(importTool, Map.of("path", "memory.jsonl")));
        assertEquals("path", relative.field());
        ToolResult missing = raw(importTool, Map.of("path", dir.resolve("none.jsonl").toString()));
        assertTrue(missing.isError());
        assertTrue(missing.text().startsWith("No file at " + dir.resolve("none.jsonl")), missing.text());
    }
}
