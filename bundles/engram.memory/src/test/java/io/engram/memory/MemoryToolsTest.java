package io.engram.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.api.tool.Arguments;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import io.engram.storage.LmdbStore;
import io.engram.testing.QuietToolContext;
import io.engram.testing.SchemaCheck;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryToolsTest {

    private static final ToolContext CONTEXT = QuietToolContext.INSTANCE;

    @TempDir
    Path dataDir;

    private LmdbStore store;
    private final MutableClock clock = new MutableClock(1_750_000_000_000L);
    private MemoryEngine engine;
    private Tool add;
    private Tool search;
    private Tool update;
    private Tool delete;

    @BeforeEach
    void openStore() {
        store = OpenStores.open(dataDir);
        engine = new MemoryEngine(store, clock, MemorySettings.DEFAULTS);
        add = new MemoryAddTool(engine);
        search = new MemorySearchTool(engine);
        update = new MemoryUpdateTool(engine);
        delete = new MemoryDeleteTool(engine);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** Calls a tool and checks that its structured content conforms to its output schema. */
    private Map<String, Object> call(Tool tool, Map<String, Object> arguments) throws Exception {
        return SchemaCheck.assertStructuredSuccess(tool, tool.call(new Arguments(arguments), CONTEXT));
    }

    private InvalidArgumentException rejected(Tool tool, Map<String, Object> arguments) {
        return assertThrows(InvalidArgumentException.class, () -> tool.call(new Arguments(arguments), CONTEXT));
    }

    private static Map<String, Object> args(Object... namesAndValues) {
        Map<String, Object> arguments = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            arguments.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return arguments;
    }

    @Test
    void schemasAreNamedPortableObjectSchemas() {
        for (Tool tool : List.of(add, search, update, delete)) {
            SchemaCheck.assertDescribedTool(tool, "memory");
        }
    }

    @Test
    void annotationsTellClientsWhatIsSafe() {
        assertEquals(Boolean.TRUE, search.annotations().readOnlyHint());
        assertEquals(Boolean.FALSE, add.annotations().readOnlyHint());
        assertEquals(Boolean.FALSE, add.annotations().idempotentHint());
        assertEquals(Boolean.TRUE, delete.annotations().destructiveHint());
        assertEquals(Boolean.TRUE, delete.annotations().idempotentHint());
    }

    @Test
    void addSearchUpdateDeleteThroughTheTools() throws Exception {
        Map<String, Object> added = call(add, args(
                "content", "Engram stores memories in LMDB",
                "metadata", Map.of("tags", List.of("storage"), "priority", 2L),
                "references", List.of(Map.of("docId", "doc-7", "chunkId", "c1", "score", 0.8), Map.of("docId", "d2")),
                "layer_hint", "LTM",
                "session_id", "s1",
                "episode_id", "e1"));
        String id = (String) added.get("id");
        assertEquals("LTM", added.get("layer"));
        assertEquals(1L, added.get("version"));
        assertFalse(added.containsKey("expires_at"));

        Map<String, Object> found = call(search, args("q", "lmdb memories", "session", "s1", "episode", "e1",
                "layer", "LTM"));
        assertEquals(1L, found.get("total"));
        @SuppressWarnings("unchecked")
        Map<String, Object> hit = ((List<Map<String, Object>>) found.get("results")).get(0);
        assertEquals(id, hit.get("id"));
        assertEquals("Engram stores memories in LMDB", hit.get("content"));
        assertEquals(Map.of("tags", List.of("storage"), "priority", 2L), hit.get("metadata"));
        assertEquals(List.of(Map.of("docId", "doc-7", "chunkId", "c1", "score", 0.8), Map.of("docId", "d2")),
                hit.get("docRefs"));
        // indexed words are stemmed: "memories" is found as "memory"
        assertEquals(Map.of("matchedTerms", List.of("lmdb", "memory")), hit.get("explain"));
        assertEquals(true, found.get("totalExact"));

        Map<String, Object> tagged = call(search, args("q", "lmdb", "tags", List.of("STORAGE"), "explain", true));
        assertEquals(1L, tagged.get("total"), "tags match in any case");
        @SuppressWarnings("unchecked")
        Map<String, Object> why = (Map<String, Object>) ((List<Map<String, Object>>) tagged.get("results")).get(0)
                .get("explain");
        @SuppressWarnings("unchecked")
        Map<String, Object> lmdb = ((List<Map<String, Object>>) why.get("terms")).get(0);
        assertEquals("lmdb", lmdb.get("term"));
        assertEquals("word", lmdb.get("clause"));
        assertEquals(Map.of("content", 1), lmdb.get("fields"));
        assertEquals(0L, call(search, args("q", "lmdb", "tags", List.of("storage", "other"))).get("total"),
                "every tag must be present");
        assertTrue((Double) hit.get("score") > 0);

        Map<String, Object> updated = call(update, args("id", id, "content", "Engram stores memories in LMDB files",
                "metadata", Map.of()));
        assertEquals(2L, updated.get("version"));
        assertEquals(false, updated.get("reembedded"));
        assertEquals(List.of("text", "metadata"), updated.get("updatedIndices"));
        assertEquals("global", updated.get("namespace"), "the namespace it is in (the test context's)");

        Map<String, Object> deleted = call(delete, args("id", id, "backup", true));
        assertEquals(Map.of("deleted", true, "namespace", "global", "cascaded", 0L, "backedUp", true), deleted);
        assertEquals(Map.of("deleted", false, "cascaded", 0L), call(delete, args("id", id)));
        assertEquals(0L, call(search, args("q", "lmdb")).get("total"));
    }

    private Map<String, Object> callIn(String namespace, Tool tool, Map<String, Object> arguments) throws Exception {
        ToolResult result = tool.call(new Arguments(arguments), QuietToolContext.inNamespace(namespace));
        assertFalse(result.isError(), () -> "unexpected error: " + result.text());
        SchemaCheck.assertConforms(tool.outputSchema(), result.structuredContent());
        return result.structuredContent();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> namespacesById(Map<String, Object> searchResult) {
        Map<String, String> found = new HashMap<>();
        for (Map<String, Object> hit : (List<Map<String, Object>>) searchResult.get("results")) {
            found.put((String) hit.get("id"), (String) hit.get("namespace"));
        }
        return found;
    }

    @Test
    void memoriesBelongToTheWorkspaceUnlessTheCallerNamesANamespace() throws Exception {
        Map<String, Object> inA = callIn("/work/a", add, args("content", "alpha note"));
        assertEquals("/work/a", inA.get("namespace"));
        String a = (String) inA.get("id");
        String b = (String) callIn("/work/b", add, args("content", "beta note")).get("id");
        Map<String, Object> shared = callIn("/work/a", add, args("content", "shared note", "namespace", " global "));
        assertEquals("global", shared.get("namespace"));
        String g = (String) shared.get("id");
        String elsewhere = (String) callIn("/work/a", add, args("content", "note for c", "namespace", "/work/c"))
                .get("id");

        assertEquals(Map.of(a, "/work/a", g, "global"), namespacesById(callIn("/work/a", search, args("q", "note"))));
        assertEquals(Map.of(b, "/work/b", g, "global"), namespacesById(callIn("/work/b", search, args())));
        assertEquals(Map.of(elsewhere, "/work/c"),
                namespacesById(callIn("/work/a", search, args("q", "note", "namespace", "/work/c"))));
        assertEquals(Map.of(g, "global"), namespacesById(callIn("/work/a", search, args("namespace", "global"))));
        assertEquals(Map.of(a, "/work/a", g, "global"),
                namespacesById(callIn("/work/a", search, args("namespace", ""))), "blank counts as absent");
        assertEquals(Map.of(g, "global"), namespacesById(callIn("global", search, args("q", "note"))),
                "a workspace that is global searches global once");

        // update and delete go by id, whatever the caller's workspace, and say where the memory is
        Map<String, Object> updated = callIn("/work/b", update, args("id", a, "content", "alpha note, revised"));
        assertEquals(List.of(2L, "/work/a"), List.of(updated.get("version"), updated.get("namespace")));
        assertEquals(Map.of(a, "/work/a"), namespacesById(callIn("/work/a", search, args("q", "revised"))));
        Map<String, Object> deleted = callIn("/work/b", delete, args("id", a));
        assertEquals(List.of(true, "/work/a"), List.of(deleted.get("deleted"), deleted.get("namespace")));
        assertEquals(Map.of(g, "global"), namespacesById(callIn("/work/a", search, args("q", "note"))));
    }

    @Test
    void aNamespaceMustBeAString() {
        assertEquals("namespace", rejected(add, args("content", "x", "namespace", 5L)).field());
        assertEquals("namespace", rejected(search, args("namespace", List.of("global"))).field());
    }

    @Test
    void shortTermMemoryReportsItsExpiryAndSearchOmitsAbsentFields() throws Exception {
        Map<String, Object> added = call(add, args("content", "plain note"));
        assertEquals("STM", added.get("layer"));
        assertEquals((Long) added.get("created_at") + 3_600_000L, added.get("expires_at"));

        Map<String, Object> listed = call(search, args());
        @SuppressWarnings("unchecked")
        Map<String, Object> hit = ((List<Map<String, Object>>) listed.get("results")).get(0);
        assertEquals(0.0, hit.get("score"));
        for (String absent : List.of("metadata", "docRefs", "explain", "session_id", "episode_id")) {
            assertFalse(hit.containsKey(absent), absent);
        }
        assertNotNull(listed.get("tookMs"));
    }

    @Test
    void blankOptionalTextCountsAsAbsent() throws Exception {
        call(add, args("content", "note in no session", "session_id", "", "layer_hint", ""));
        Map<String, Object> found = call(search, args("q", "", "session", " ", "episode", "", "layer", ""));
        assertEquals(1L, found.get("total"));
    }

    @Test
    void searchHonoursLimitWithinTheConfiguredMaximum() throws Exception {
        for (int i = 0; i < 12; i++) {
            call(add, args("content", "item " + i));
            clock.advance(1);
        }
        assertEquals(10, ((List<?>) call(search, args("q", "item")).get("results")).size());
        Map<String, Object> three = call(search, args("q", "item", "limit", 3L));
        assertEquals(3, ((List<?>) three.get("results")).size());
        assertEquals(12L, three.get("total"));

        engine.applySettings(new MemorySettings(3_600_000L, 5, 20));
        assertEquals(5, ((List<?>) call(search, args("q", "item")).get("results")).size());
        assertEquals("limit", rejected(search, args("limit", 21L)).field());
    }

    @Test
    void argumentErrorsNameTheField() {
        assertEquals("content", rejected(add, args()).field());
        assertEquals("content", rejected(add, args("content", "   ")).field());
        assertEquals("content", rejected(add, args("content", 5L)).field());
        assertEquals("layer_hint", rejected(add, args("content", "x", "layer_hint", "forever")).field());
        assertEquals("metadata", rejected(add, args("content", "x", "metadata", "tags")).field());
        assertEquals("references", rejected(add, args("content", "x", "references", "doc-1")).field());
        assertEquals("references[0]", rejected(add, args("content", "x", "references", List.of("doc-1"))).field());
        assertEquals("references[1].docId", rejected(add, args("content", "x", "references",
                List.of(Map.of("docId", "a"), Map.of("chunkId", "c")))).field());
        assertEquals("references[0].score", rejected(add, args("content", "x", "references",
                List.of(Map.of("docId", "a", "score", "high")))).field());

        assertEquals("limit", rejected(search, args("limit", 0L)).field());
        assertEquals("limit", rejected(search, args("limit", 101L)).field());
        assertEquals("layer", rejected(search, args("layer", "both")).field());
        assertEquals("mode", rejected(search, args("q", "x", "mode", "fuzzy")).field());
        assertEquals("tags", rejected(search, args("tags", List.of("ok", 3L))).field());
        assertEquals("tags", rejected(search, args("tags", "build")).field());
        assertEquals("from", rejected(search, args("from", "yesterday")).field());
        assertEquals("to", rejected(search, args("from", 10L, "to", 5L)).field());

        assertEquals("id", rejected(update, args("content", "x")).field());
        InvalidArgumentException nothingToChange = rejected(update, args("id", "mem_x"));
        assertTrue(nothingToChange.getMessage().contains("content"), nothingToChange.getMessage());
        assertTrue(nothingToChange.getMessage().contains("metadata"), nothingToChange.getMessage());
        assertTrue(nothingToChange.getMessage().contains("layer_hint"), nothingToChange.getMessage());

        assertEquals("id", rejected(delete, args()).field());
        assertEquals("backup", rejected(delete, args("id", "mem_x", "backup", "yes")).field());
    }

    @Test
    void updatingAnUnknownOrExpiredMemoryIsAnErrorResult() throws Exception {
        String id = (String) call(add, args("content", "expiring")).get("id");
        clock.advance(3_600_000L);
        ToolResult expired = update.call(new Arguments(args("id", id, "layer_hint", "LTM")), CONTEXT);
        assertTrue(expired.isError());
        assertEquals("memory not found: " + id, expired.text());

        ToolResult unknown = update.call(new Arguments(args("id", "mem_nothing", "content", "x")), CONTEXT);
        assertTrue(unknown.isError());
        assertEquals("memory not found: mem_nothing", unknown.text());
    }

    @Test
    void promotingThroughUpdateKeepsTheMemoryPastItsExpiry() throws Exception {
        String id = (String) call(add, args("content", "worth keeping")).get("id");
        Map<String, Object> promoted = call(update, args("id", id, "layer_hint", "ltm"));
        assertEquals(List.of("layer"), promoted.get("updatedIndices"));
        clock.advance(2 * 3_600_000L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) call(search, args("q", "keeping"))
                .get("results");
        assertEquals(id, results.get(0).get("id"));
        assertEquals("LTM", results.get(0).get("layer"));
        assertFalse(results.get(0).containsKey("expires_at"));
    }
}
