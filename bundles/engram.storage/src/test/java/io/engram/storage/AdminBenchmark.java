package io.engram.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.engram.api.store.StoreAdmin.BackupResult;
import io.engram.api.store.StoreAdmin.CleanupResult;
import io.engram.api.store.StoreAdmin.RestoreResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Not a test: prints how long backup, restore and compaction take on a store of 100,000 small
 * entries (16-byte keys, 200-byte values). Run from the module folder like
 * {@link GroupCommitBenchmark}: {@code java -cp target/test-classes:target/classes:<deps>
 * io.engram.storage.AdminBenchmark}.
 */
public final class AdminBenchmark {

    private static final int ENTRIES = 100_000;

    private AdminBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory("bench-admin");
        try (LmdbStore source = open(root.resolve("source")); LmdbStore target = open(root.resolve("target"))) {
            for (int first = 0; first < ENTRIES; first += 1000) {
                int from = first;
                source.write(txn -> {
                    for (int i = from; i < from + 1000; i++) {
                        txn.put("memory.records", key(i), new byte[200]);
                    }
                    return null;
                });
            }
            System.err.printf("store: %d entries, %d bytes%n", ENTRIES, source.status().diskBytes());
            BackupResult backup = source.backup(root.resolve("backup"));
            System.err.printf("backup: %d ms, %d bytes%n", backup.tookMs(), backup.bytes());
            RestoreResult restore = target.restore(root.resolve("backup"));
            System.err.printf("restore into another store: %d ms, %d entries%n", restore.tookMs(), restore.entries());
            source.write(txn -> {
                for (int i = 0; i < ENTRIES; i++) {
                    if (i % 10 != 0) {
                        txn.delete("memory.records", key(i));
                    }
                }
                return null;
            });
            long started = System.nanoTime();
            CleanupResult cleanup = source.cleanup(true);
            System.err.printf("compaction after deleting 90%%: %d ms, %d -> %d bytes%n",
                    (System.nanoTime() - started) / 1_000_000, cleanup.bytesBefore(), cleanup.bytesAfter());
        }
    }

    private static LmdbStore open(Path dir) {
        LmdbStore store = new LmdbStore(StoreSettings.defaults(dir));
        store.start();
        if (!store.awaitOpen(Duration.ofSeconds(20))) {
            throw new IllegalStateException("did not open: " + store.status());
        }
        return store;
    }

    private static byte[] key(int i) {
        return String.format("mem_%012d", i).getBytes(UTF_8);
    }
}
