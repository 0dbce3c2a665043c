package io.engram.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.storage.LmdbStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryStatusContributorTest {

    @TempDir
    Path dataDir;

    private LmdbStore store;
    private final MutableClock clock = new MutableClock(1_750_000_000_000L);
    private MemoryEngine engine;
    private MemoryStatusContributor contributor;

    @BeforeEach
    void openStore() {
        store = OpenStores.open(dataDir);
        engine = new MemoryEngine(store, clock, MemorySettings.DEFAULTS);
        contributor = new MemoryStatusContributor(engine);
        contributor.bindStore(store);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private void add(String content, Layer layer) {
        engine.add(new NewMemory(content, null, null, layer, null, null));
    }

    @Test
    void countsVisibleMemoriesPerLayer() {
        assertEquals("memory", contributor.section());
        assertEquals(Map.of("stm_count", 0L, "ltm_count", 0L,
                "text_index", Map.of("state", "absent", "documents", 0L)), contributor.status(),
                "no index before the first memory of a new store");

        add("a", Layer.STM);
        add("b", Layer.STM);
        add("c", Layer.LTM);
        engine.add(new NewMemory("e", null, null, Layer.LTM, null, null, "/work/project-a"));
        engine.add(new NewMemory("f", null, null, Layer.STM, null, null, "/work/project-b"));
        String deleted = engine.add(new NewMemory("d", null, null, Layer.LTM, null, null)).id();
        engine.delete(deleted, false);
        assertEquals(Map.of("stm_count", 3L, "ltm_count", 2L,
                "text_index", Map.of("state", "ready", "documents", 5L)), contributor.status(),
                "totals of every namespace");

        clock.advance(MemorySettings.DEFAULTS.stmTtlMs());
        assertEquals(Map.of("stm_count", 0L, "ltm_count", 2L,
                "text_index", Map.of("state", "ready", "documents", 5L)), contributor.status(),
                "expired memories are not counted, though still indexed until the sweep deletes them");
        engine.purgeExpired();
        assertEquals(Map.of("stm_count", 0L, "ltm_count", 2L,
                "text_index", Map.of("state", "ready", "documents", 2L)), contributor.status());
    }

    @Test
    void answersAtOnceWithoutCountsWhileStorageIsAway() {
        add("a", Layer.LTM);
        contributor.unbindStore(store);
        assertEquals(Map.of(), contributor.status());

        contributor.bindStore(store);
        store.close();
        long start = System.nanoTime();
        assertEquals(Map.of(), contributor.status());
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "a status request must not wait for storage");
    }
}
