package io.engram.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.storage.LmdbStore;
import io.engram.testing.TempStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The memories' text index as the engine keeps it: built from memories stored before it existed,
 * rebuilt while writes go on, and always answering what a scan of the records would.
 */
class MemoryIndexTest {

    private static final long START = 1_750_000_000_000L;

    @RegisterExtension
    final TempStore temp = new TempStore();

    private LmdbStore store;
    private final MutableClock clock = new MutableClock(START);
    private MemoryEngine engine;

    @BeforeEach
    void open() {
        store = temp.store();
        engine = new MemoryEngine(store, clock, MemorySettings.DEFAULTS);
    }

    private SearchResult search(String text, int limit) {
        return engine.search(new SearchQuery(text, limit, null, null, null, null, null));
    }

    private static String oldRecord(String id, String content) {
        return "{\"id\":\"" + id + "\",\"namespace\":\"global\",\"content\":\"" + content
                + "\",\"layer\":\"LTM\",\"version\":1,\"created_at\":" + START + ",\"updated_at\":" + START + "}";
    }

    @Test
    void memoriesStoredBeforeTheIndexAreFoundByScanThenIndexedOnce() {
        List<String> ids = new ArrayList<>();
        store.write(txn -> {
            for (int i = 0; i < 1200; i++) {
                String id = MemoryIds.next(START + i);
                ids.add(id);
                txn.put(MemoryEngine.RECORDS, id.getBytes(StandardCharsets.UTF_8),
                        oldRecord(id, "legacy note " + Words.of(i)).getBytes(StandardCharsets.UTF_8));
            }
            return null;
        });
        assertFalse(engine.isIndexReady());
        assertEquals(List.of(ids.get(7)), ids(search(Words.of(7), 5)), "found by a scan before the index exists");
        engine.add(new NewMemory("written while no index exists", null, null, Layer.LTM, null, null));

        assertTrue(engine.ensureIndex(), "the first start on older memories builds the index");
        assertTrue(engine.isIndexReady());
        assertFalse(engine.ensureIndex(), "and only once");
        assertEquals(1201L, engine.indexStatus().get("documents"));
        for (int i = 0; i < 1200; i += 97) {
            SearchResult found = search(Words.of(i), 5);
            assertEquals(List.of(ids.get(i)), ids(found));
            assertFalse(found.hits().get(0).terms().isEmpty(), "answered by the index");
        }
        assertEquals(1, search("written while", 5).total());
        assertEquals(1200, engine.countVisible(Layer.LTM) - 1);
    }

    @Test
    void aRebuildWhileWritesGoOnEndsWithTheIndexEqualToTheMemories() throws Exception {
        Map<String, String> live = new ConcurrentHashMap<>(); // id -> its unique word
        for (int i = 0; i < 1500; i++) {
            Memory memory = engine.add(new NewMemory("shared " + Words.of(i), null, null, Layer.LTM, null, null));
            live.put(memory.id(), Words.of(i));
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new ArrayList<>();
        Thread writer = new Thread(() -> {
            Random random = new Random(3);
            int next = 100_000;
            try {
                while (!stop.get()) {
                    List<String> ids = new ArrayList<>(live.keySet());
                    String id = ids.get(random.nextInt(ids.size()));
                    switch (random.nextInt(3)) {
                        case 0 -> {
                            Memory memory = engine.add(new NewMemory("shared " + Words.of(next), null, null, Layer.LTM,
                                    null, null));
                            live.put(memory.id(), Words.of(next++));
                        }
                        case 1 -> {
                            engine.update(id, new MemoryChanges("shared " + Words.of(next), null, null));
                            live.put(id, Words.of(next++));
                        }
                        default -> {
                            engine.delete(id, false);
                            live.remove(id);
                        }
                    }
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        writer.start();
        long rebuilt = engine.rebuildIndex();
        stop.set(true);
        writer.join();
        assertEquals(List.of(), failures);
        assertTrue(rebuilt > 0);
        assertTrue(engine.isIndexReady());

        SearchResult shared = engine.search(new SearchQuery("shared", 1, null, null, null, null, null));
        assertEquals((long) live.size(), engine.indexStatus().get("documents"));
        assertEquals((long) Math.min(live.size(), 1000), shared.total());
        for (Map.Entry<String, String> memory : live.entrySet()) {
            if (memory.getValue().hashCode() % 20 == 0) {
                assertEquals(List.of(memory.getKey()), ids(search(memory.getValue(), 5)), memory.getValue());
            }
        }
        // the generation the rebuild replaced is gone: only one generation's keyspaces hold anything
        long nonEmptyPostings = store.read(txn -> {
            long count = 0;
            for (int generation = 1; generation < 5; generation++) {
                count += txn.count("text.memory." + generation + ".post") > 0 ? 1 : 0;
            }
            return count;
        });
        assertEquals(1, nonEmptyPostings);
    }

    @Test
    void phrasesPrefixesTagsAndStemmingThroughTheEngine() {
        Memory phrase = engine.add(new NewMemory("The build cache broke after upgrading Gradle", null, null, Layer.LTM,
                null, null));
        engine.add(new NewMemory("cache the build output", null, null, Layer.LTM, null, null));
        Memory tagged = engine.add(new NewMemory("Parsing configs with the streaming parser",
                Map.of("tags", List.of("Parsing", "perf")), null, Layer.LTM, null, null));
        assertEquals(List.of(phrase.id()), ids(search("\"build cache\"", 10)));
        assertEquals(List.of(tagged.id()), ids(search("pars*", 10)));
        assertEquals(List.of(phrase.id()), ids(search("upgrade gradle", 1)), "word forms match");
        assertEquals(List.of(tagged.id()), ids(engine.search(new SearchQuery("streaming", 10, null, null, null, null,
                null, null, Set.of("perf"), null))));
        assertEquals(List.of(), ids(engine.search(new SearchQuery("streaming", 10, null, null, null, null, null, null,
                Set.of("nope"), null))));
        assertEquals(List.of(tagged.id()), ids(search("perf", 10)), "metadata values are searched too");
    }

    private static List<String> ids(SearchResult result) {
        return result.hits().stream().map(hit -> hit.memory().id()).toList();
    }

    /** A distinct made-up word per number, so each memory can be found alone. */
    private static final class Words {
        static String of(int n) {
            StringBuilder word = new StringBuilder("zq");
            int value = n;
            do {
                word.append((char) ('a' + value % 26));
                value /= 26;
            } while (value > 0);
            return word.append("x").toString();
        }
    }
}
