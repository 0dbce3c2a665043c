package io.engram.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolContext;
import io.engram.storage.LmdbStore;
import io.engram.testing.QuietToolContext;
import io.engram.testing.SchemaCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** memory_search pages: limit and cursor, and a character budget per answer. */
class MemorySearchPagingTest {

    private static final ToolContext CONTEXT = QuietToolContext.INSTANCE;

    @TempDir
    Path dataDir;

    private LmdbStore store;
    private final MutableClock clock = new MutableClock(1_750_000_000_000L);
    private MemoryEngine engine;
    private Tool add;
    private Tool search;

    @BeforeEach
    void openStore() {
        store = OpenStores.open(dataDir);
        engine = new MemoryEngine(store, clock, MemorySettings.DEFAULTS);
        add = new MemoryAddTool(engine);
        search = new MemorySearchTool(engine);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private Map<String, Object> call(Tool tool, Map<String, Object> arguments) throws Exception {
        return SchemaCheck.assertStructuredSuccess(tool, tool.call(new Arguments(arguments), CONTEXT));
    }

    private static Map<String, Object> args(Object... namesAndValues) {
        Map<String, Object> arguments = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            arguments.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return arguments;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(Map<String, Object> answer) {
        return (List<Map<String, Object>>) answer.get("results");
    }

    private static List<String> ids(Map<String, Object> answer) {
        return results(answer).stream().map(result -> (String) result.get("id")).toList();
    }

    /** Every page of a search, following nextCursor from the first. */
    private List<Map<String, Object>> pages(Map<String, Object> arguments) throws Exception {
        List<Map<String, Object>> pages = new ArrayList<>();
        Map<String, Object> page = call(search, arguments);
        pages.add(page);
        while (page.containsKey("nextCursor")) {
            assertTrue(pages.size() < 100, "paging does not end");
            Map<String, Object> next = new HashMap<>(arguments);
            next.put("cursor", page.get("nextCursor"));
            page = call(search, next);
            pages.add(page);
        }
        return pages;
    }

    private static List<String> allIds(List<Map<String, Object>> pages) {
        return pages.stream().flatMap(page -> ids(page).stream()).toList();
    }

    /** Memories of different scores, and ties: the same content in the same millisecond. */
    private void addRankedMemories() throws Exception {
        for (int i = 0; i < 4; i++) {
            call(add, args("content", "paging " + "lmdb ".repeat(i + 1) + "note " + i));
            clock.advance(1);
        }
        for (int i = 0; i < 5; i++) {
            call(add, args("content", "lmdb tie")); // equal score, equal time: the id decides
        }
        clock.advance(1);
        call(add, args("content", "unrelated words"));
        call(add, args("content", "lmdb lmdb tie"));
    }

    @Test
    void pagingReturnsEveryMatchOnceInRankOrder() throws Exception {
        addRankedMemories();
        Map<String, Object> whole = call(search, args("q", "lmdb", "limit", 100L));
        List<String> ranked = ids(whole);
        assertEquals(10, ranked.size());
        assertFalse(whole.containsKey("nextCursor"), whole.toString());

        List<Map<String, Object>> pages = pages(args("q", "lmdb", "limit", 3L));
        assertEquals(4, pages.size());
        assertEquals(ranked, allIds(pages), "every match once, in rank order");
        for (Map<String, Object> page : pages) {
            assertEquals(10L, page.get("total"), "total counts every page");
            assertFalse(page.containsKey("truncated"), "no budget cut: " + page);
        }
        assertNull(pages.get(3).get("nextCursor"));
        assertEquals(1, results(pages.get(3)).size());

        // Without q: newest first, paged the same way.
        List<String> newest = ids(call(search, args("limit", 100L)));
        assertEquals(11, newest.size());
        assertEquals(newest, allIds(pages(args("limit", 2L))));
    }

    @Test
    void noCursorIsTheFirstPageAndTheLimitMayChangeBetweenPages() throws Exception {
        addRankedMemories();
        List<String> ranked = ids(call(search, args("q", "lmdb", "limit", 100L)));
        Map<String, Object> first = call(search, args("q", "lmdb", "limit", 4L));
        assertEquals(ranked.subList(0, 4), ids(first));
        Map<String, Object> blankCursor = call(search, args("q", "lmdb", "limit", 4L, "cursor", ""));
        assertEquals(ids(first), ids(blankCursor), "a blank cursor, as models send for optional fields, is no cursor");
        assertEquals(first.get("nextCursor"), blankCursor.get("nextCursor"));
        Map<String, Object> rest = call(search, args("q", "lmdb", "limit", 100L, "cursor", first.get("nextCursor")));
        assertEquals(ranked.subList(4, 10), ids(rest));
        assertFalse(rest.containsKey("nextCursor"));
    }

    @Test
    void theBudgetCutsAPageShortWithAMarkerAndTheCursorContinues() throws Exception {
        for (int i = 0; i < 7; i++) {
            call(add, args("content", "budget note " + i + " " + "padding words ".repeat(20)));
            clock.advance(1);
        }
        List<String> ranked = ids(call(search, args("q", "budget", "limit", 100L)));
        assertEquals(7, ranked.size());
        int budget = 1_000;
        engine.applySettings(new MemorySettings(3_600_000L, 10, 100, budget));

        List<Map<String, Object>> pages = pages(args("q", "budget", "limit", 5L));
        assertEquals(ranked, allIds(pages), "every match once, in rank order, across budget-cut pages");
        Map<String, Object> first = pages.get(0);
        assertEquals(Boolean.TRUE, first.get("truncated"), first.toString());
        assertNotNull(first.get("nextCursor"));
        assertTrue(results(first).size() < 5, "cut before the limit: " + results(first).size());
        assertTrue(new Gson().toJson(first.get("results")).length() <= budget, "results within the budget");
        Map<String, Object> last = pages.get(pages.size() - 1);
        assertFalse(last.containsKey("truncated"));
        assertFalse(last.containsKey("nextCursor"));
    }

    @Test
    void aMemoryLargerThanTheWholeBudgetIsGivenWhole() throws Exception {
        String huge = "oversized " + "x".repeat(3_000);
        call(add, args("content", huge));
        clock.advance(1);
        call(add, args("content", "oversized small"));
        engine.applySettings(new MemorySettings(3_600_000L, 10, 100, 1_000));

        Map<String, Object> first = call(search, args("q", "", "limit", 10L));
        assertEquals(List.of("oversized small"), results(first).stream().map(r -> r.get("content")).toList());
        assertEquals(Boolean.TRUE, first.get("truncated"));
        Map<String, Object> second = call(search, args("q", "", "cursor", first.get("nextCursor")));
        assertEquals(huge, results(second).get(0).get("content"), "whole, not cut");
        assertFalse(second.containsKey("nextCursor"));
    }

    @Test
    void aBadOrForeignCursorIsRefusedNamingCursor() throws Exception {
        addRankedMemories();
        Map<String, Object> first = call(search, args("q", "lmdb", "limit", 2L));
        String cursor = (String) first.get("nextCursor");
        assertNotNull(cursor);

        InvalidArgumentException garbage = rejected(args("q", "lmdb", "cursor", "not a cursor!"));
        assertEquals("cursor", garbage.field());
        String kgLike = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {0, 3, 'k', 'g', '1', 0, 1});
        assertEquals("cursor", rejected(args("q", "lmdb", "cursor", kgLike)).field());
        assertEquals("cursor", rejected(args("q", "lmdb", "cursor", cursor.substring(0, cursor.length() - 4))).field());
        InvalidArgumentException otherQuery = rejected(args("q", "paging", "cursor", cursor));
        assertEquals("cursor", otherQuery.field());
        assertTrue(otherQuery.getMessage().contains("other q or filters"), otherQuery.getMessage());
        assertEquals("cursor", rejected(args("q", "lmdb", "layer", "LTM", "cursor", cursor)).field());
    }

    private InvalidArgumentException rejected(Map<String, Object> arguments) {
        return assertThrows(InvalidArgumentException.class, () -> search.call(new Arguments(arguments), CONTEXT));
    }
}
