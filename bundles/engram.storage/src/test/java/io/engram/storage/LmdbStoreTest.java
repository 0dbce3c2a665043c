package io.engram.storage;

import static io.engram.storage.Bytes.b;
import static io.engram.storage.Bytes.count;
import static io.engram.storage.Bytes.delete;
import static io.engram.storage.Bytes.get;
import static io.engram.storage.Bytes.put;
import static io.engram.storage.Bytes.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.api.store.StoreClosedException;
import io.engram.api.store.StoreFullException;
import io.engram.api.store.StoreStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LmdbStoreTest {

    private static final Duration OPEN = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private final List<LmdbStore> stores = new ArrayList<>();

    @AfterEach
    void closeAll() {
        stores.forEach(LmdbStore::close);
    }

    private LmdbStore open(StoreSettings settings) {
        LmdbStore store = new LmdbStore(settings);
        stores.add(store);
        store.start();
        assertTrue(store.awaitOpen(OPEN), "store did not open: " + store.status());
        return store;
    }

    private LmdbStore open() {
        return open(StoreSettings.defaults(tmp.resolve("store")));
    }

    @Test
    void putGetDeleteAndCount() {
        LmdbStore store = open();
        store.write(txn -> {
            txn.put("notes", b("a"), b("1"));
            txn.put("notes", b("b"), b("2"));
            txn.put("notes", b("a"), b("one"));
            return null;
        });
        assertEquals("one", s(store.read(txn -> txn.get("notes", b("a")))));
        assertEquals(2, count(store, "notes"));
        assertTrue(delete(store, "notes", "a"));
        assertFalse(delete(store, "notes", "a"));
        assertNull(store.read(txn -> txn.get("notes", b("a"))));
        assertEquals(1, count(store, "notes"));
    }

    @Test
    void emptyValuesAreStored() {
        LmdbStore store = open();
        store.write(txn -> {
            txn.put("k", b("empty"), new byte[0]);
            return null;
        });
        assertArrayEquals(new byte[0], store.read(txn -> txn.get("k", b("empty"))));
    }

    @Test
    void scanVisitsInUnsignedKeyOrderFromAKeyAndStops() {
        LmdbStore store = open();
        store.write(txn -> {
            for (String key : List.of("c", "a", "e", "b", "d")) {
                txn.put("letters", b(key), b(key.toUpperCase()));
            }
            txn.put("letters", new byte[] {(byte) 0xff}, b("high"));
            return null;
        });
        assertEquals(List.of("a", "b", "c", "d", "e", "\uFFFD"), store.read(txn -> {
            List<String> keys = new ArrayList<>();
            txn.scan("letters", null, (k, v) -> keys.add(s(k)));
            return keys;
        }));
        assertEquals(List.of("C=c", "D=d"), store.read(txn -> {
            List<String> seen = new ArrayList<>();
            txn.scan("letters", b("bb"), (k, v) -> {
                seen.add(s(v) + "=" + s(k));
                return seen.size() < 2;
            });
            return seen;
        }));
    }

    @Test
    void scanPrefixVisitsOnlyMatchingKeys() {
        LmdbStore store = open();
        store.write(txn -> {
            for (String key : List.of("mem:1", "mem:2", "mem:10", "me", "memo", "doc:1")) {
                txn.put("idx", b(key), b("x"));
            }
            return null;
        });
        assertEquals(List.of("mem:1", "mem:10", "mem:2"), store.read(txn -> {
            List<String> keys = new ArrayList<>();
            txn.scanPrefix("idx", b("mem:"), (k, v) -> keys.add(s(k)));
            return keys;
        }));
        List<String> all = new ArrayList<>();
        store.read(txn -> {
            txn.scanPrefix("idx", new byte[0], (k, v) -> all.add(s(k)));
            return null;
        });
        assertEquals(6, all.size());
    }

    @Test
    void scanPrefixInPlaceShowsReadOnlyViewsOfTheMatchingEntries() {
        LmdbStore store = open();
        byte[] big = new byte[20_000]; // past one page: LMDB keeps it on overflow pages
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        store.write(txn -> {
            for (String key : List.of("vec:a", "vec:b", "vec:c", "ve", "vez")) {
                txn.put("idx", b(key), b("value of " + key));
            }
            txn.put("idx", b("vec:big"), big);
            txn.put("idx", b("vec:empty"), new byte[0]);
            return null;
        });
        Map<String, byte[]> seen = new java.util.LinkedHashMap<>();
        store.read(txn -> {
            txn.scanPrefixInPlace("idx", b("vec:"), (key, value) -> {
                assertTrue(key.isReadOnly() && value.isReadOnly(), "views into the map must not be writable");
                assertThrows(java.nio.ReadOnlyBufferException.class, () -> value.put(0, (byte) 1));
                byte[] k = new byte[key.remaining()];
                key.get(0, k);
                byte[] v = new byte[value.remaining()];
                value.get(0, v);
                seen.put(s(k), v);
                return true;
            });
            return null;
        });
        assertEquals(List.of("vec:a", "vec:b", "vec:big", "vec:c", "vec:empty"), new ArrayList<>(seen.keySet()));
        assertEquals("value of vec:b", s(seen.get("vec:b")));
        assertArrayEquals(big, seen.get("vec:big"));
        assertEquals(0, seen.get("vec:empty").length);
        // The copying scan sees the same entries; stopping early stops both.
        List<String> first = store.read(txn -> {
            List<String> keys = new ArrayList<>();
            txn.scanPrefixInPlace("idx", b("vec:"), (key, value) -> keys.add("k" + key.remaining()) && keys.size() < 2);
            return keys;
        });
        assertEquals(List.of("k5", "k5"), first);
        assertEquals(0, (int) store.read(txn -> {
            int[] visits = {0};
            txn.scanPrefixInPlace("missing", b("vec:"), (key, value) -> ++visits[0] > 0);
            return visits[0];
        }));
    }

    @Test
    void valuesHandedOutAreCopies() {
        LmdbStore store = open();
        store.write(txn -> {
            txn.put("k", b("key"), b("value"));
            return null;
        });
        byte[] first = store.read(txn -> txn.get("k", b("key")));
        first[0] = 'X';
        assertEquals("value", s(store.read(txn -> txn.get("k", b("key")))));
    }

    @Test
    void readingAMissingKeyspaceDoesNotCreateIt() {
        LmdbStore store = open();
        assertNull(store.read(txn -> txn.get("nothing", b("k"))));
        assertEquals(0, count(store, "nothing"));
        store.read(txn -> {
            txn.scan("nothing", null, (k, v) -> {
                throw new AssertionError("visited an entry of a missing keyspace");
            });
            return null;
        });
        assertFalse(delete(store, "nothing", "k"));
        assertNull(store.write(txn -> txn.get("nothing", b("k"))));
        assertEquals(Map.of(), store.status().entries());
        store.write(txn -> {
            txn.put("something", b("k"), b("v"));
            return null;
        });
        assertEquals(Map.of("something", 1L), store.status().entries());
    }

    @Test
    void badNamesAndKeysAreRejectedClearly() {
        LmdbStore store = open();
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> store.read(txn -> txn.get("Notes", b("k"))));
        assertTrue(name.getMessage().contains("[a-z0-9_.]{1,64}"), name.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.read(txn -> txn.get("x".repeat(65), b("k"))));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> store.write(txn -> {
                    txn.put("k", new byte[0], b("v"));
                    return null;
                }));
        assertTrue(empty.getMessage().contains("1 to 511 bytes"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.read(txn -> txn.get("k", new byte[512])));
        store.write(txn -> {
            txn.put("k", new byte[511], b("longest key"));
            return null;
        });
        assertEquals("longest key", s(store.read(txn -> txn.get("k", new byte[511]))));
    }

    @Test
    void dataSurvivesCloseAndReopen() {
        StoreSettings settings = StoreSettings.defaults(tmp.resolve("store"));
        LmdbStore first = open(settings);
        first.write(txn -> {
            for (int i = 0; i < 100; i++) {
                txn.put("persist", b("key" + i), b("value" + i));
            }
            return null;
        });
        first.close();
        first.close(); // idempotent

        LmdbStore second = open(settings);
        assertEquals(100, count(second, "persist"));
        assertEquals("value42", s(second.read(txn -> txn.get("persist", b("key42")))));
    }

    @Test
    void callsBeforeTheOpenWaitAndSucceed() throws Exception {
        LmdbStore store = new LmdbStore(StoreSettings.defaults(tmp.resolve("store")));
        stores.add(store);
        CompletableFuture<String> early = CompletableFuture.supplyAsync(() -> {
            store.write(txn -> {
                txn.put("early", b("k"), b("v"));
                return null;
            });
            return s(store.read(txn -> txn.get("early", b("k"))));
        });
        assertEquals(StoreStatus.State.OPENING, store.status().state());
        Thread.sleep(100);
        assertFalse(early.isDone(), "a call before the open must wait");
        store.start();
        assertEquals("v", early.get(10, TimeUnit.SECONDS));
        assertEquals(StoreStatus.State.OPEN, store.status().state());
    }

    @Test
    void callsAfterCloseFailAtOnce() {
        LmdbStore store = open();
        store.close();
        long started = System.nanoTime();
        StoreClosedException read = assertThrows(StoreClosedException.class, () -> count(store, "k"));
        assertThrows(StoreClosedException.class, () -> store.write(txn -> null));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 1000);
        assertEquals("storage unavailable: storage is closing", read.getMessage());
        assertEquals(StoreStatus.State.UNAVAILABLE, store.status().state());
        assertEquals("closed", store.status().detail());
    }

    @Test
    void nestedWritesFailClearlyInsteadOfDeadlocking() {
        LmdbStore store = open();
        IllegalStateException insideWrite = assertThrows(IllegalStateException.class,
                () -> store.write(txn -> store.write(inner -> null)));
        assertTrue(insideWrite.getMessage().contains("inside a write work"), insideWrite.getMessage());
        IllegalStateException insideRead = assertThrows(IllegalStateException.class,
                () -> store.read(txn -> store.write(inner -> null)));
        assertTrue(insideRead.getMessage().contains("inside a read work"), insideRead.getMessage());
        assertThrows(IllegalStateException.class, () -> store.write(txn -> store.read(inner -> null)));
        // The store still works afterwards.
        store.write(txn -> {
            txn.put("k", b("k"), b("v"));
            return null;
        });
        assertEquals("v", s(store.read(txn -> txn.get("k", b("k")))));
    }

    @Test
    void aWorkThatThrowsRollsBackAndRethrows() {
        LmdbStore store = open();
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> store.write(txn -> {
            txn.put("k", b("partial"), b("v"));
            throw new IllegalStateException("work failed");
        }));
        assertEquals("work failed", thrown.getMessage());
        assertNull(store.read(txn -> txn.get("k", b("partial"))));
        assertEquals(Map.of(), store.status().entries(), "the keyspace created by the failed work was rolled back");
    }

    @Test
    void theMapGrowsFromOneMebibyte() {
        long mib = 1024 * 1024;
        LmdbStore store = open(StoreSettings.defaults(tmp.resolve("store")).withMapSize(mib, 64 * mib));
        byte[] value = new byte[4096];
        for (int batch = 0; batch < 8; batch++) {
            int first = batch * 256;
            store.write(txn -> {
                for (int i = first; i < first + 256; i++) {
                    txn.put("big", b("key" + i), value);
                }
                return null;
            });
        }
        assertEquals(2048, count(store, "big"));
        StoreStatus status = store.status();
        assertTrue(status.mapSize() >= 8 * mib, "map size " + status.mapSize());
        assertTrue(status.usedBytes() >= 8 * mib, "used " + status.usedBytes());
    }

    @Test
    void reachingTheMaximumSizeFailsAsFull() {
        long mib = 1024 * 1024;
        LmdbStore store = open(StoreSettings.defaults(tmp.resolve("store")).withMapSize(mib, 2 * mib));
        byte[] value = new byte[64 * 1024];
        StoreFullException full = assertThrows(StoreFullException.class, () -> {
            for (int i = 0; i < 100; i++) {
                int n = i;
                store.write(txn -> {
                    txn.put("big", b("key" + n), value);
                    return null;
                });
            }
        });
        assertTrue(full.getMessage().contains("maximum size of 2 MiB"), full.getMessage());
        // What was acknowledged before is still there, and reads still work.
        assertTrue(count(store, "big") > 0);
    }
}
