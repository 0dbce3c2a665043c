package io.engram.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.engram.storage.LmdbStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryEngineTest {

    private static final long START = 1_750_000_000_000L;
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dataDir;

    private LmdbStore store;
    private final MutableClock clock = new MutableClock(START);
    private MemoryEngine engine;

    @BeforeEach
    void openStore() {
        store = OpenStores.open(dataDir);
        engine = new MemoryEngine(store, clock, MemorySettings.DEFAULTS);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private Memory add(String content) {
        return add(content, Layer.STM, null, null);
    }

    private Memory add(String content, Layer layer, String sessionId, String episodeId) {
        Memory added = engine.add(new NewMemory(content, null, null, layer, sessionId, episodeId));
        clock.advance(1); // distinct creation times keep "newest first" well defined
        return added;
    }

    private List<String> search(String text) {
        return ids(engine.search(new SearchQuery(text, 100, null, null, null, null, null)));
    }

    private static List<String> ids(SearchResult result) {
        return result.hits().stream().map(hit -> hit.memory().id()).toList();
    }

    @Test
    void addedMemoryIsFoundUpdatedAndDeleted() {
        Memory added = engine.add(new NewMemory("The build uses Maven and bnd", Map.of("topic", "build"),
                List.of(new DocRef("doc-1", "c-2", 0.5)), Layer.STM, "s1", "e1"));
        assertEquals(1, added.version());
        assertEquals(START, added.createdAt());
        assertEquals(START + HOUR, added.expiresAt());

        SearchResult found = engine.search(new SearchQuery("maven", 10, null, null, null, null, null));
        assertEquals(1, found.total());
        Memory stored = found.hits().get(0).memory();
        assertEquals(added, stored);
        assertEquals(List.of("maven"), found.hits().get(0).matchedTerms());

        clock.advance(1000);
        UpdateOutcome updated = engine.update(added.id(), new MemoryChanges("The build uses Gradle", null, null))
                .orElseThrow();
        assertEquals(2, updated.version());
        assertEquals(List.of("text"), updated.changed());
        assertEquals(List.of(), search("maven"));
        assertEquals(List.of(added.id()), search("gradle"));

        DeleteOutcome deleted = engine.delete(added.id(), false);
        assertTrue(deleted.deleted());
        assertEquals(List.of(), search("gradle"));
        assertFalse(engine.delete(added.id(), false).deleted(), "a second delete finds nothing");
    }

    @Test
    void memoriesSurviveReopeningTheStore() {
        Memory added = add("durable across restarts");
        store.close();
        store = OpenStores.open(dataDir);
        engine = new MemoryEngine(store, clock, MemorySettings.DEFAULTS);
        assertEquals(List.of(added.id()), search("restarts"));
    }

    @Test
    void exactIdentifierBeatsItsPartsAlone() {
        Memory parts = add("get user name here");
        Memory exact = add("call getUserName here");
        add("unrelated text entirely");
        assertEquals(List.of(exact.id(), parts.id()), search("getUserName"));
    }

    @Test
    void rarerTermWeighsMore() {
        for (int i = 0; i < 5; i++) {
            add("common filler number " + i);
        }
        Memory rare = add("alpha rare");
        Memory common = add("alpha common");
        List<String> found = search("common rare");
        assertEquals(rare.id(), found.get(0));
        assertTrue(found.indexOf(common.id()) > 0);
    }

    @Test
    void moreMatchingTermsRankFirst() {
        Memory one = add("red apple pear items");
        Memory three = add("red green blue items");
        Memory two = add("red green plum items");
        assertEquals(List.of(three.id(), two.id(), one.id()), search("red green blue"));
    }

    @Test
    void repeatingOneTermSaturatesSoBreadthWins() {
        Memory repetitive = add("lmdb lmdb lmdb lmdb lmdb lmdb lmdb lmdb");
        Memory broad = add("lmdb java notes on the store engine");
        assertEquals(List.of(broad.id(), repetitive.id()), search("lmdb java"));
    }

    @Test
    void shorterContentIsFavoured() {
        Memory longer = add("lmdb " + "padding ".repeat(30));
        Memory shorter = add("lmdb notes");
        assertEquals(List.of(shorter.id(), longer.id()), search("lmdb"));
    }

    @Test
    void equalScoresListNewestFirst() {
        Memory older = add("same words");
        Memory newer = add("same words");
        assertEquals(List.of(newer.id(), older.id()), search("words"));
    }

    @Test
    void emptyQueryListsNewestFirstAndHonoursLimit() {
        Memory first = add("first");
        Memory second = add("second");
        Memory third = add("third");
        assertEquals(List.of(third.id(), second.id(), first.id()), search(""));
        assertEquals(List.of(third.id(), second.id(), first.id()), search("?!"));
        SearchResult limited = engine.search(new SearchQuery(null, 2, null, null, null, null, null));
        assertEquals(List.of(third.id(), second.id()), ids(limited));
        assertEquals(3, limited.total());
        assertEquals(0.0, limited.hits().get(0).score());
    }

    @Test
    void memoriesMatchingNoTermAreLeftOut() {
        add("nothing in common");
        Memory hit = add("the needle");
        SearchResult found = engine.search(new SearchQuery("needle", 10, null, null, null, null, null));
        assertEquals(List.of(hit.id()), ids(found));
        assertEquals(1, found.total());
    }

    @Test
    void filtersExcludeWhatDoesNotMatch() {
        Memory shortTerm = add("topic one", Layer.STM, "s1", "e1");
        Memory longTerm = add("topic two", Layer.LTM, "s1", "e2");
        Memory otherSession = add("topic three", Layer.STM, "s2", "e1");

        assertEquals(List.of(longTerm.id()), ids(engine.search(new SearchQuery("topic", 10, Layer.LTM, null, null,
                null, null))));
        assertEquals(List.of(otherSession.id(), shortTerm.id()), ids(engine.search(new SearchQuery("topic", 10,
                Layer.STM, null, null, null, null))));
        assertEquals(List.of(longTerm.id(), shortTerm.id()), ids(engine.search(new SearchQuery("topic", 10, null,
                "s1", null, null, null))));
        assertEquals(List.of(otherSession.id(), shortTerm.id()), ids(engine.search(new SearchQuery("", 10, null,
                null, "e1", null, null))));
        assertEquals(List.of(shortTerm.id()), ids(engine.search(new SearchQuery("", 10, null, "s1", "e1", null,
                null))));
        assertEquals(List.of(longTerm.id()), ids(engine.search(new SearchQuery("topic", 10, null, null, null,
                longTerm.createdAt(), longTerm.createdAt()))));
        assertEquals(List.of(otherSession.id(), longTerm.id()), ids(engine.search(new SearchQuery("topic", 10,
                null, null, null, longTerm.createdAt(), null))));
        assertEquals(List.of(shortTerm.id()), ids(engine.search(new SearchQuery("topic", 10, null, null, null,
                null, shortTerm.createdAt()))));
    }

    @Test
    void expiredShortTermMemoriesAreNeverSeenAgain() {
        Memory shortTerm = add("fleeting thought", Layer.STM, null, null);
        assertEquals(START + HOUR, shortTerm.expiresAt());

        clock.advance(HOUR - 2); // one millisecond before expiry (add() already advanced 1)
        assertEquals(List.of(shortTerm.id()), search("fleeting"));

        clock.advance(1); // now == expires_at
        assertEquals(List.of(), search("fleeting"));
        assertEquals(List.of(), search(""));
        assertTrue(engine.update(shortTerm.id(), new MemoryChanges(null, null, Layer.LTM)).isEmpty());
        assertFalse(engine.delete(shortTerm.id(), true).deleted());
    }

    @Test
    void longTermMemoriesNeverExpire() {
        Memory longTerm = add("keep this forever", Layer.LTM, null, null);
        assertNull(longTerm.expiresAt());
        clock.advance(Duration.ofDays(3650).toMillis());
        assertEquals(List.of(longTerm.id()), search("forever"));
    }

    @Test
    void promotingToLongTermClearsTheExpiryAndDemotingStartsANewOne() {
        Memory memory = add("promote me");
        UpdateOutcome promoted = engine.update(memory.id(), new MemoryChanges(null, null, Layer.LTM)).orElseThrow();
        assertEquals(List.of("layer"), promoted.changed());
        clock.advance(10 * HOUR);
        SearchResult found = engine.search(new SearchQuery("promote", 10, null, null, null, null, null));
        assertEquals(Layer.LTM, found.hits().get(0).memory().layer());
        assertNull(found.hits().get(0).memory().expiresAt());

        long demotedAt = clock.millis();
        engine.update(memory.id(), new MemoryChanges(null, null, Layer.STM)).orElseThrow();
        Memory demoted = engine.search(new SearchQuery("promote", 10, null, null, null, null, null)).hits().get(0)
                .memory();
        assertEquals(demotedAt + HOUR, demoted.expiresAt());
    }

    @Test
    void updateBumpsVersionKeepsCreationTimeAndReplacesMetadata() {
        Memory memory = engine.add(new NewMemory("note", Map.of("a", 1L, "b", "x"), null, Layer.LTM, "s", "e"));
        clock.advance(5000);
        UpdateOutcome outcome = engine.update(memory.id(), new MemoryChanges("new note", Map.of("c", 2.5), null))
                .orElseThrow();
        assertEquals(2, outcome.version());
        assertEquals(List.of("text", "metadata"), outcome.changed());

        Memory updated = engine.search(new SearchQuery("note", 10, null, null, null, null, null)).hits().get(0)
                .memory();
        assertEquals(START, updated.createdAt());
        assertEquals(START + 5000, updated.updatedAt());
        assertEquals(Map.of("c", 2.5), updated.metadata());
        assertEquals("s", updated.sessionId());
        assertEquals("e", updated.episodeId());

        UpdateOutcome unchanged = engine.update(memory.id(), new MemoryChanges("new note", null, Layer.LTM))
                .orElseThrow();
        assertEquals(2, unchanged.version(), "an update that changes nothing keeps the version");
        assertEquals(List.of(), unchanged.changed());
    }

    @Test
    void metadataKeepsIntegersAsLongs() {
        Memory memory = engine.add(new NewMemory("typed", Map.of("count", 3L, "nested", Map.of("ratio", 0.25)),
                null, Layer.LTM, null, null));
        Memory stored = engine.search(new SearchQuery("typed", 10, null, null, null, null, null)).hits().get(0)
                .memory();
        assertEquals(memory.metadata(), stored.metadata());
        assertEquals(3L, stored.metadata().get("count"));
    }

    @Test
    void unknownIdsAreNotFound() {
        String unknown = MemoryIds.next(START);
        assertTrue(engine.update(unknown, new MemoryChanges("x", null, null)).isEmpty());
        assertFalse(engine.delete(unknown, false).deleted());
        assertTrue(engine.update("not-an-id", new MemoryChanges("x", null, null)).isEmpty());
        assertFalse(engine.delete("x".repeat(600), true).deleted());
    }

    @Test
    void deleteWithBackupKeepsACopyWithDeletionTime() {
        Memory memory = engine.add(new NewMemory("back me up", Map.of("k", "v"), null, Layer.LTM, null, null));
        clock.advance(42);
        DeleteOutcome outcome = engine.delete(memory.id(), true);
        assertTrue(outcome.deleted());
        assertTrue(outcome.backedUp());

        byte[] key = memory.id().getBytes(StandardCharsets.UTF_8);
        assertNull(store.read(txn -> txn.get(MemoryEngine.RECORDS, key)));
        byte[] backup = store.read(txn -> txn.get(MemoryEngine.BACKUP, key));
        assertNotNull(backup);
        JsonObject json = JsonParser.parseString(new String(backup, StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals("back me up", json.get("content").getAsString());
        assertEquals("global", json.get("namespace").getAsString());
        assertEquals(START + 42, json.get("deleted_at").getAsLong());
        assertEquals("v", json.getAsJsonObject("metadata").get("k").getAsString());
    }

    private Memory addIn(String namespace, String content) {
        Memory added = engine.add(new NewMemory(content, null, null, Layer.LTM, null, null, namespace));
        clock.advance(1);
        return added;
    }

    private List<String> searchIn(String text, int limit, String... namespaces) {
        return ids(engine.search(new SearchQuery(text, limit, null, null, null, null, null, Set.of(namespaces))));
    }

    @Test
    void searchCoversOnlyTheGivenNamespaces() {
        Memory inA = addIn("/work/a", "needle in a");
        Memory inB = addIn("/work/b", "needle in b");
        Memory shared = addIn("global", "needle for all");
        assertEquals("/work/a", inA.namespace());

        assertEquals(Set.of(inA.id(), shared.id()), Set.copyOf(searchIn("needle", 10, "/work/a", "global")));
        assertEquals(Set.of(inB.id(), shared.id()), Set.copyOf(searchIn("needle", 10, "/work/b", "global")));
        assertEquals(List.of(inB.id()), searchIn("needle", 10, "/work/b"));
        assertEquals(List.of(shared.id(), inB.id(), inA.id()), searchIn("", 10, "/work/a", "/work/b", "global"));
        assertEquals(List.of(shared.id(), inB.id(), inA.id()), search(""), "no namespaces given: every namespace");
        assertEquals(List.of(), searchIn("needle", 10, "/work/c"));
    }

    @Test
    void namespacesAreFilteredBeforeTheLimit() {
        // ranks below each of the newer ones: filtering after the limit would find nothing
        Memory older = addIn("/work/b", "needle, among many other words that make this memory rank below the rest");
        for (int i = 0; i < 5; i++) {
            addIn("/work/a", "needle needle " + i);
        }
        assertTrue(!search("needle").get(0).equals(older.id()));
        SearchResult found = engine.search(new SearchQuery("needle", 1, null, null, null, null, null,
                Set.of("/work/b")));
        assertEquals(List.of(older.id()), ids(found));
        assertEquals(1, found.total());
        assertEquals(List.of(older.id()), searchIn("", 1, "/work/b"));
    }

    @Test
    void updatesAndDeletesWorkByIdInAnyNamespaceAndKeepIt() {
        Memory memory = addIn("/work/a", "first words");
        assertEquals(2, engine.update(memory.id(), new MemoryChanges("second words", null, Layer.STM)).orElseThrow()
                .version());
        Memory updated = engine.search(new SearchQuery("second", 10, null, null, null, null, null, Set.of("/work/a")))
                .hits().get(0).memory();
        assertEquals("/work/a", updated.namespace());
        assertTrue(engine.delete(memory.id(), false).deleted());
        assertEquals(List.of(), searchIn("", 10, "/work/a"));
    }

    @Test
    void memoriesStoredBeforeNamespacesAreGlobal() {
        // the record shape written before namespaces existed: no namespace field
        String id = MemoryIds.next(START);
        String old = "{\"id\":\"" + id + "\",\"content\":\"an old memory\",\"layer\":\"LTM\",\"version\":1,"
                + "\"created_at\":" + START + ",\"updated_at\":" + START + "}";
        store.write(txn -> {
            txn.put(MemoryEngine.RECORDS, id.getBytes(StandardCharsets.UTF_8), old.getBytes(StandardCharsets.UTF_8));
            return null;
        });
        SearchResult found = engine.search(new SearchQuery("old", 10, null, null, null, null, null,
                Set.of("/work/a", "global")));
        assertEquals(List.of(id), ids(found));
        assertEquals("global", found.hits().get(0).memory().namespace());
        assertEquals(List.of(id), searchIn("old", 10, "/work/b", "global"));
        assertEquals(List.of(), searchIn("old", 10, "/work/b"));

        engine.update(id, new MemoryChanges("an old memory, updated", null, null));
        byte[] rewritten = store.read(txn -> txn.get(MemoryEngine.RECORDS, id.getBytes(StandardCharsets.UTF_8)));
        assertEquals("global", JsonParser.parseString(new String(rewritten, StandardCharsets.UTF_8)).getAsJsonObject()
                .get("namespace").getAsString());
    }

    @Test
    void deleteWithoutBackupKeepsNoCopy() {
        Memory memory = add("gone for good");
        engine.delete(memory.id(), false);
        byte[] key = memory.id().getBytes(StandardCharsets.UTF_8);
        assertNull(store.read(txn -> txn.get(MemoryEngine.BACKUP, key)));
    }

    @Test
    void newTimeToLiveAppliesToLaterMemories() {
        engine.applySettings(new MemorySettings(1000, 10, 100));
        Memory memory = add("short lived");
        assertEquals(memory.createdAt() + 1000, memory.expiresAt());
        clock.advance(1000);
        assertEquals(List.of(), search("short"));
    }

    @Test
    void anUnreadableRecordDoesNotBreakSearch() {
        Memory good = add("readable memory");
        store.write(txn -> {
            txn.put(MemoryEngine.RECORDS, "mem_broken".getBytes(StandardCharsets.UTF_8),
                    "{not json".getBytes(StandardCharsets.UTF_8));
            return null;
        });
        assertEquals(List.of(good.id()), search("readable"));
    }

    @Test
    void concurrentAddsAreAllFound() throws Exception {
        int threads = 8;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        ids.add(engine.add(new NewMemory("burst thread" + thread + " item" + i, null, null, Layer.LTM,
                                null, null)).id());
                    }
                    return ids;
                }));
            }
            Set<String> added = new HashSet<>();
            for (Future<List<String>> future : futures) {
                added.addAll(future.get(30, TimeUnit.SECONDS));
            }
            assertEquals(threads * perThread, added.size());
            SearchResult found = engine.search(new SearchQuery("burst", threads * perThread, null, null, null, null,
                    null));
            assertEquals(threads * perThread, found.total());
            assertEquals(added, new HashSet<>(ids(found)));
        } finally {
            pool.shutdownNow();
        }
    }
}
