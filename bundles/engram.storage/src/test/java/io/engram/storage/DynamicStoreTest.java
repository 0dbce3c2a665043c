package io.engram.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.api.store.DynamicStore;
import io.engram.api.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tool family's Store keeps serving across a storage bundle restart, within a bound (against the real LmdbStore). */
class DynamicStoreTest {

    @TempDir
    Path dir;

    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

    @Test
    void aCallMadeWhileStorageIsAwayWaitsForItsReturn() throws Exception {
        DynamicStore handle = new DynamicStore(5_000);
        CompletableFuture<byte[]> call = CompletableFuture.supplyAsync(() -> {
            handle.write(txn -> {
                txn.put("memory.test", KEY, new byte[] {1});
                return null;
            });
            return handle.read(txn -> txn.get("memory.test", KEY));
        });
        Thread.sleep(200);
        assertTrue(!call.isDone(), "waits while no store is bound");
        try (LmdbStore store = new LmdbStore(StoreSettings.defaults(dir))) {
            store.start();
            handle.set(store);
            assertArrayEquals(new byte[] {1}, call.get(10, TimeUnit.SECONDS));
            handle.unset(store);
        }
    }

    @Test
    void aWriteRefusedByAClosingStoreRunsOnItsReplacement() throws Exception {
        DynamicStore handle = new DynamicStore(5_000);
        try (LmdbStore leaving = new LmdbStore(StoreSettings.defaults(dir.resolve("old")));
                LmdbStore replacement = new LmdbStore(StoreSettings.defaults(dir.resolve("new")))) {
            leaving.start();
            leaving.awaitOpen(Duration.ofSeconds(10));
            handle.set(leaving);
            leaving.close(); // still bound, as during a bundle update before the unbind
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> handle.write(txn -> {
                txn.put("memory.test", KEY, new byte[] {7});
                return null;
            }));
            Thread.sleep(200);
            assertTrue(!write.isDone(), "waits for the replacement instead of failing");
            replacement.start();
            handle.set(replacement);
            write.get(10, TimeUnit.SECONDS);
            assertArrayEquals(new byte[] {7}, replacement.read(txn -> txn.get("memory.test", KEY)));
        }
    }

    @Test
    void aCallFailsClearlyWhenStorageDoesNotReturnInTime() {
        DynamicStore handle = new DynamicStore(100);
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> handle.read(txn -> txn.count("memory.test")));
        assertEquals("storage unavailable: the storage bundle is not running", e.getMessage());
    }

    @Test
    void unbindingAnOldStoreKeepsItsReplacement() throws Exception {
        DynamicStore handle = new DynamicStore(100);
        try (LmdbStore first = new LmdbStore(StoreSettings.defaults(dir.resolve("a")));
                LmdbStore second = new LmdbStore(StoreSettings.defaults(dir.resolve("b")))) {
            first.start();
            second.start();
            second.awaitOpen(Duration.ofSeconds(10));
            handle.set(first);
            handle.set(second); // a dynamic greedy reference binds the new one before unbinding the old
            handle.unset(first);
            long count = handle.read(txn -> txn.count("memory.none"));
            assertEquals(0L, count);
            assertEquals(second.status().path(), handle.status().path());
        }
    }
}
