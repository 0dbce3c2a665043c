package io.engram.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * Not a test: prints durable writes per second for 64 threads x 50 writes, through the
 * group-committing {@link LmdbStore} and through one LMDB commit per write (each thread its
 * own write transaction, as without a single writer). Run from the module folder:
 * {@code java -cp target/test-classes:target/classes:<deps> io.engram.storage.GroupCommitBenchmark}.
 */
public final class GroupCommitBenchmark {

    private static final int THREADS = 64;
    private static final int WRITES_EACH = 50;
    private static final byte[] VALUE = new byte[500];

    private GroupCommitBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        for (int round = 1; round <= 3; round++) {
            report("group commit   ", groupCommit(Files.createTempDirectory("bench-group")));
            report("commit per write", commitPerWrite(Files.createTempDirectory("bench-single")));
        }
    }

    private static void report(String what, long[] nanosAndCommits) {
        int writes = THREADS * WRITES_EACH;
        double seconds = nanosAndCommits[0] / 1e9;
        System.out.printf("%s: %d writes in %.0f ms = %.0f writes/s, %d commits%n", what, writes, seconds * 1000,
                writes / seconds, nanosAndCommits[1]);
    }

    private static long[] groupCommit(Path dir) throws Exception {
        try (LmdbStore store = new LmdbStore(StoreSettings.defaults(dir))) {
            store.start();
            store.awaitOpen(Duration.ofSeconds(10));
            long nanos = run(thread -> store.write(txn -> {
                txn.put("bench", key(thread), VALUE);
                return null;
            }));
            return new long[] {nanos, store.commitCount()};
        }
    }

    private static long[] commitPerWrite(Path dir) throws Exception {
        try (Env<byte[]> env = Env.create(ByteArrayProxy.PROXY_BA).setMapSize(256L << 20).setMaxDbs(128)
                .open(dir.toFile(), EnvFlags.MDB_NOTLS)) {
            Dbi<byte[]> dbi = env.openDbi("bench", DbiFlags.MDB_CREATE);
            long nanos = run(thread -> {
                try (Txn<byte[]> txn = env.txnWrite()) {
                    dbi.put(txn, key(thread), VALUE);
                    txn.commit();
                }
            });
            return new long[] {nanos, THREADS * WRITES_EACH};
        }
    }

    private static byte[] key(int thread) {
        return (thread + ":" + System.nanoTime()).getBytes(UTF_8);
    }

    private interface Write {
        void run(int thread);
    }

    private static long run(Write write) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            long started = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < WRITES_EACH; i++) {
                        write.run(thread);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return System.nanoTime() - started;
        } finally {
            pool.shutdown();
        }
    }
}
