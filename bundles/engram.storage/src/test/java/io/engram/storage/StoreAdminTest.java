package io.engram.storage;

import static io.engram.storage.Bytes.b;
import static io.engram.storage.Bytes.count;
import static io.engram.storage.Bytes.get;
import static io.engram.storage.Bytes.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.engram.api.store.StoreAdmin.BackupResult;
import io.engram.api.store.StoreAdmin.CleanupResult;
import io.engram.api.store.StoreAdmin.RestoreResult;
import io.engram.api.store.StoreException;
import io.engram.api.store.StoreInUseException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup, restore and cleanup on real LMDB stores, with other processes where they matter. */
class StoreAdminTest {

    @TempDir
    Path tmp;

    private final List<LmdbStore> stores = new ArrayList<>();
    private final List<Process> peers = new ArrayList<>();

    @AfterEach
    void closeAll() {
        peers.forEach(Process::destroyForcibly);
        stores.forEach(LmdbStore::close);
    }

    private LmdbStore open(Path dir) {
        LmdbStore store = new LmdbStore(MultiProcessTest.settings(dir));
        stores.add(store);
        store.start();
        assertTrue(store.awaitOpen(Duration.ofSeconds(10)), "store did not open: " + store.status());
        return store;
    }

    private Process peer(Class<?> main, String... args) throws IOException {
        Process process = new ProcessBuilder(PeerJvm.command(main, args)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        peers.add(process);
        return process;
    }

    private static BufferedReader output(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Every entry of a keyspace, keys and values as text. */
    private static Map<String, byte[]> entries(LmdbStore store, String keyspace) {
        return store.read(txn -> {
            Map<String, byte[]> all = new TreeMap<>();
            txn.scan(keyspace, null, (k, v) -> {
                all.put(new String(k, StandardCharsets.UTF_8), v);
                return true;
            });
            return all;
        });
    }

    private static boolean linux() {
        return Files.isReadable(Path.of("/proc/locks"));
    }

    @Test
    void backupWhileAnotherProcessWritesIsASnapshotOfTheSource() throws Exception {
        Path dir = tmp.resolve("store");
        LmdbStore store = open(dir);
        int peerWrites = 2000;
        Process writer = peer(PeerWriter.class, dir.toString(), "peer:", Integer.toString(peerWrites), "300");
        AtomicInteger acknowledged = new AtomicInteger();
        Thread counter = new Thread(() -> {
            try (BufferedReader out = output(writer)) {
                while (out.readLine() != null) {
                    acknowledged.incrementAndGet();
                }
            } catch (IOException e) {
                // The test fails on the counts below.
            }
        });
        counter.start();
        while (acknowledged.get() < 100 && writer.isAlive()) {
            Thread.sleep(5);
        }
        for (int i = 0; i < 50; i++) {
            put(store, "shared", "ours:" + i, "v" + i);
        }

        int acknowledgedBefore = acknowledged.get();
        BackupResult backup = store.backup(tmp.resolve("backup"));
        boolean peerStillWriting = writer.isAlive();

        assertTrue(writer.waitFor(60, TimeUnit.SECONDS));
        counter.join(5000);
        assertEquals(0, writer.exitValue());
        assertEquals(peerWrites, acknowledged.get(), "the peer's writes went on during the backup");
        assertTrue(peerStillWriting, "the backup should have run while the peer wrote");
        assertEquals(tmp.resolve("backup").toString(), backup.path());
        assertEquals(Files.size(tmp.resolve("backup/data.mdb")), backup.bytes());

        LmdbStore copy = open(tmp.resolve("backup"));
        Map<String, byte[]> backedUp = entries(copy, "shared");
        Map<String, byte[]> source = entries(store, "shared");
        assertTrue(backedUp.size() >= acknowledgedBefore + 50, backedUp.size() + " entries in the backup, "
                + acknowledgedBefore + " peer writes and 50 of ours acknowledged before it started");
        assertTrue(backedUp.size() < source.size(), "the backup is a snapshot, not the final state");
        backedUp.forEach((key, value) -> assertArrayEquals(source.get(key), value, key));
    }

    @Test
    void restoreIntoAnotherStoreReplacesItsContentsWithTheBackup() {
        LmdbStore source = open(tmp.resolve("source"));
        source.write(txn -> {
            for (int i = 0; i < 500; i++) {
                txn.put("notes", b("n" + i), b("note " + i));
            }
            txn.put("tags", b("t"), b("tag"));
            return null;
        });
        source.backup(tmp.resolve("backup"));

        LmdbStore target = open(tmp.resolve("target"));
        put(target, "notes", "only-in-target", "x");
        put(target, "other", "k", "x");
        RestoreResult restored = target.restore(tmp.resolve("backup"));

        assertEquals(501, restored.entries());
        assertEquals(tmp.resolve("backup").toString(), restored.source());
        assertEquals(entries(source, "notes").keySet(), entries(target, "notes").keySet());
        assertEquals("note 42", get(target, "notes", "n42"));
        assertEquals("tag", get(target, "tags", "t"));
        assertEquals(0, count(target, "other"));
        put(target, "notes", "after", "restore");
        assertEquals(501, count(target, "notes"));

        target.close();
        LmdbStore reopened = open(tmp.resolve("target"));
        assertEquals("restore", get(reopened, "notes", "after"));
        assertEquals("note 499", get(reopened, "notes", "n499"));
        assertEquals(List.of("data.mdb", "lock.mdb"), fileNames(tmp.resolve("target")),
                "no staging or set-aside files left");
    }

    private static List<String> fileNames(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anotherProcessWithTheStoreOpenIsListedAndBlocksRestoreAndCompaction() throws Exception {
        assumeTrue(linux(), "process list comes from /proc/locks");
        Path dir = tmp.resolve("store");
        LmdbStore store = open(dir);
        put(store, "k", "key", "live");
        open(tmp.resolve("other")).backup(tmp.resolve("backup"));
        long self = ProcessHandle.current().pid();
        assertEquals(List.of(self), store.status().processIds());

        Process holder = peer(PeerHolder.class, dir.toString());
        try (BufferedReader out = output(holder)) {
            assertEquals("open", out.readLine());
            List<Long> pids = store.status().processIds();
            assertTrue(pids.contains(self) && pids.contains(holder.pid()), pids.toString());

            StoreInUseException refused = assertThrows(StoreInUseException.class,
                    () -> store.restore(tmp.resolve("backup")));
            assertEquals(List.of(holder.pid()), refused.processIds());
            assertTrue(refused.getMessage().contains(Long.toString(holder.pid())), refused.getMessage());
            StoreInUseException compaction = assertThrows(StoreInUseException.class, () -> store.cleanup(true));
            assertEquals(List.of(holder.pid()), compaction.processIds());
            assertEquals("live", get(store, "k", "key"));
            assertFalse(store.cleanup(false).compacted(), "cleanup without compaction works beside other processes");

            holder.getOutputStream().close();
            assertTrue(holder.waitFor(20, TimeUnit.SECONDS));
        }
        assertEquals(List.of(self), store.status().processIds());
        store.restore(tmp.resolve("backup"));
        assertEquals(null, get(store, "k", "key"));
    }

    @Test
    void aMissingOrDamagedBackupLeavesTheLiveStoreUntouched() throws Exception {
        assumeTrue(linux(), "restore needs to know the other processes");
        LmdbStore store = open(tmp.resolve("store"));
        for (int i = 0; i < 200; i++) {
            put(store, "k", "key" + i, "value" + i);
        }
        LmdbStore other = open(tmp.resolve("other"));
        other.write(txn -> {
            for (int i = 0; i < 5000; i++) {
                txn.put("k", b("other" + i), new byte[200]);
            }
            return null;
        });
        other.backup(tmp.resolve("good"));

        Path missing = tmp.resolve("missing");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path garbage = Files.createDirectories(tmp.resolve("garbage"));
        byte[] noise = new byte[64 * 1024];
        new Random(7).nextBytes(noise);
        Files.write(garbage.resolve("data.mdb"), noise);
        Path truncated = Files.createDirectories(tmp.resolve("truncated"));
        Files.copy(tmp.resolve("good/data.mdb"), truncated.resolve("data.mdb"));
        try (RandomAccessFile file = new RandomAccessFile(truncated.resolve("data.mdb").toFile(), "rw")) {
            file.setLength(file.length() / 2);
        }

        for (Path bad : List.of(missing, empty, garbage, truncated)) {
            StoreException e = assertThrows(StoreException.class, () -> store.restore(bad));
            assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
            assertEquals(200, count(store, "k"), bad.toString());
            assertEquals("value7", get(store, "k", "key7"));
        }
        assertTrue(assertThrows(StoreException.class, () -> store.restore(truncated)).getMessage()
                .contains("truncated"));
        assertTrue(assertThrows(StoreException.class, () -> store.restore(garbage)).getMessage()
                .contains("not a readable store"));
        put(store, "k", "still", "writable");
        assertEquals(List.of("data.mdb", "lock.mdb"), fileNames(tmp.resolve("store")));
    }

    @Test
    void backupRefusesAFolderThatIsNotEmpty() throws Exception {
        LmdbStore store = open(tmp.resolve("store"));
        Path used = Files.createDirectories(tmp.resolve("used"));
        Files.writeString(used.resolve("notes.txt"), "keep me");
        StoreException e = assertThrows(StoreException.class, () -> store.backup(used));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        assertEquals("keep me", Files.readString(used.resolve("notes.txt")));
    }

    @Test
    void compactionShrinksTheFileAfterMostEntriesAreDeleted() {
        assumeTrue(linux(), "compaction needs to know the other processes");
        LmdbStore store = open(tmp.resolve("store"));
        for (int batch = 0; batch < 20; batch++) {
            int first = batch * 1000;
            store.write(txn -> {
                for (int i = first; i < first + 1000; i++) {
                    txn.put("bulk", b(String.format("%06d", i)), new byte[500]);
                }
                return null;
            });
        }
        store.write(txn -> {
            for (int i = 0; i < 20000; i++) {
                if (i % 20 != 0) {
                    txn.delete("bulk", b(String.format("%06d", i)));
                }
            }
            return null;
        });

        CleanupResult result = store.cleanup(true);

        assertTrue(result.compacted());
        // Compaction drops free pages but keeps partly filled ones: about 4x smaller here.
        assertTrue(result.bytesAfter() < result.bytesBefore() / 3, result.toString());
        assertEquals(result.bytesAfter(), store.status().diskBytes());
        assertEquals(1000, count(store, "bulk"));
        put(store, "bulk", "new", "after compaction");
        assertEquals("after compaction", get(store, "bulk", "new"));
    }

    @Test
    void cleanupFreesTheReaderSlotOfAKilledProcess() throws Exception {
        Path dir = tmp.resolve("store");
        LmdbStore store = open(dir);
        Process reader = peer(PeerHolder.class, dir.toString(), "read");
        try (BufferedReader out = output(reader)) {
            assertEquals("reading", out.readLine());
        }
        reader.destroyForcibly();
        assertTrue(reader.waitFor(10, TimeUnit.SECONDS));

        CleanupResult result = store.cleanup(false);

        assertEquals(1, result.staleReadersCleared());
        assertFalse(result.compacted());
        assertEquals(0, store.cleanup(false).staleReadersCleared());
    }
}
