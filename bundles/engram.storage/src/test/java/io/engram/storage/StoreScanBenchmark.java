package io.engram.storage;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.ByteBufferProxy;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

/**
 * Not a test: what reading an entry costs, the figures of docs/BENCHMARKS.md ("Reading the store"). Entries shaped
 * like stored vectors (40-byte keys, 388-byte values), read by a cursor through lmdbjava's byte[] proxy (how the
 * store read before it used direct buffers) and its ByteBuffer proxy, then through the {@code Store} API: the
 * copying {@code scanPrefix}, {@code scanPrefixInPlace}, and {@code get} of random keys. Rounds interleave the ways;
 * medians. Run from the worktree root: {@code mvn -B -o -q verify -pl bundles/engram.storage -Dtest=StoreScanBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dengram.bench=true} ({@code -Dengram.bench.entries=N}, default 200,000).
 */
@EnabledIfSystemProperty(named = "engram.bench", matches = "true")
class StoreScanBenchmark {

    private static final int ENTRIES = Integer.getInteger("engram.bench.entries", 200_000);
    private static final int ROUNDS = 11;
    private static final int GETS = 100_000;

    @Test
    void run() throws Exception {
        Path rawBytes = Files.createTempDirectory("bench-scan-bytes");
        Path rawBuffers = Files.createTempDirectory("bench-scan-buffers");
        Path storeDir = Files.createTempDirectory("bench-scan-store");
        byte[][] keys = keys();
        try (Env<byte[]> bytesEnv = Env.create(ByteArrayProxy.PROXY_BA).setMapSize(1L << 31).setMaxDbs(2)
                .open(rawBytes.toFile());
                Env<ByteBuffer> buffersEnv = Env.create(ByteBufferProxy.PROXY_OPTIMAL).setMapSize(1L << 31)
                        .setMaxDbs(2).open(rawBuffers.toFile());
                LmdbStore store = new LmdbStore(StoreSettings.defaults(storeDir))) {
            Dbi<byte[]> bytesDbi = bytesEnv.openDbi("vectors", DbiFlags.MDB_CREATE);
            Dbi<ByteBuffer> buffersDbi = buffersEnv.openDbi("vectors", DbiFlags.MDB_CREATE);
            store.start();
            if (!store.awaitOpen(Duration.ofSeconds(30))) {
                throw new IllegalStateException("store did not open: " + store.status());
            }
            fill(bytesEnv, bytesDbi, keys);
            fillBuffers(buffersEnv, buffersDbi, keys);
            for (int from = 0; from < keys.length; from += 10_000) {
                int start = from;
                store.write(txn -> {
                    for (int i = start; i < Math.min(keys.length, start + 10_000); i++) {
                        txn.put("vectors", keys[i], value(i));
                    }
                    return null;
                });
            }

            List<String> names = List.of("cursor, byte[] proxy (before)", "cursor, ByteBuffer proxy",
                    "Store scanPrefix (copies)", "Store scanPrefixInPlace", "Store get, random keys",
                    "get, byte[] proxy (before)");
            List<LongSupplier> ways = List.of(
                    () -> {
                        long sum = 0;
                        try (Txn<byte[]> txn = bytesEnv.txnRead(); Cursor<byte[]> cursor = bytesDbi.openCursor(txn)) {
                            for (boolean more = cursor.first(); more; more = cursor.next()) {
                                sum += cursor.key()[39] + cursor.val()[387];
                            }
                        }
                        return sum;
                    },
                    () -> {
                        long sum = 0;
                        try (Txn<ByteBuffer> txn = buffersEnv.txnRead();
                                Cursor<ByteBuffer> cursor = buffersDbi.openCursor(txn)) {
                            for (boolean more = cursor.first(); more; more = cursor.next()) {
                                sum += cursor.key().get(39) + cursor.val().get(387);
                            }
                        }
                        return sum;
                    },
                    () -> store.read(txn -> {
                        long[] sum = {0};
                        txn.scanPrefix("vectors", new byte[0], (key, value) -> {
                            sum[0] += key[39] + value[387];
                            return true;
                        });
                        return sum[0];
                    }),
                    () -> store.read(txn -> {
                        long[] sum = {0};
                        txn.scanPrefixInPlace("vectors", new byte[0], (key, value) -> {
                            sum[0] += key.get(39) + value.get(387);
                            return true;
                        });
                        return sum[0];
                    }),
                    () -> store.read(txn -> {
                        Random random = new Random(7);
                        long sum = 0;
                        for (int i = 0; i < GETS; i++) {
                            sum += txn.get("vectors", keys[random.nextInt(keys.length)])[387];
                        }
                        return sum;
                    }),
                    () -> {
                        Random random = new Random(7);
                        long sum = 0;
                        try (Txn<byte[]> txn = bytesEnv.txnRead()) {
                            for (int i = 0; i < GETS; i++) {
                                sum += bytesDbi.get(txn, keys[random.nextInt(keys.length)])[387];
                            }
                        }
                        return sum;
                    });
            long[][] nanos = new long[ways.size()][ROUNDS];
            long check = 0;
            for (int round = 0; round < ROUNDS; round++) {
                for (int way = 0; way < ways.size(); way++) {
                    long started = System.nanoTime();
                    check += ways.get(way).getAsLong();
                    nanos[way][round] = System.nanoTime() - started;
                }
            }
            StringBuilder report = new StringBuilder("entries: " + ENTRIES + " (40-byte keys, 388-byte values); "
                    + ROUNDS + " rounds, medians (first round included: JIT warm-up lands in the slowest)\n");
            for (int way = 0; way < ways.size(); way++) {
                long[] sorted = nanos[way].clone();
                Arrays.sort(sorted);
                int per = names.get(way).contains("get") ? GETS : ENTRIES;
                report.append(String.format("%-32s %.3f us per entry (min %.3f)%n", names.get(way),
                        sorted[ROUNDS / 2] / 1000.0 / per, sorted[0] / 1000.0 / per));
            }
            report.append("load average: ").append(Files.readString(Path.of("/proc/loadavg")).trim())
                    .append(" (check ").append(check).append(")\n");
            System.err.print(report);
            Files.writeString(Path.of("target", "store-scan-benchmark.txt"), report);
        }
    }

    private static byte[][] keys() {
        byte[][] keys = new byte[ENTRIES][];
        for (int i = 0; i < ENTRIES; i++) {
            byte[] key = new byte[40];
            ByteBuffer.wrap(key).putInt(3, i).putLong(20, i * 31L);
            keys[i] = key;
        }
        return keys;
    }

    private static byte[] value(int i) {
        byte[] value = new byte[388];
        Arrays.fill(value, (byte) i);
        return value;
    }

    private static void fill(Env<byte[]> env, Dbi<byte[]> dbi, byte[][] keys) {
        try (Txn<byte[]> txn = env.txnWrite()) {
            for (int i = 0; i < keys.length; i++) {
                dbi.put(txn, keys[i], value(i));
            }
            txn.commit();
        }
    }

    private static void fillBuffers(Env<ByteBuffer> env, Dbi<ByteBuffer> dbi, byte[][] keys) {
        ByteBuffer key = ByteBuffer.allocateDirect(40);
        ByteBuffer value = ByteBuffer.allocateDirect(388);
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            for (int i = 0; i < keys.length; i++) {
                key.clear();
                key.put(keys[i]).flip();
                value.clear();
                value.put(value(i)).flip();
                dbi.put(txn, key, value);
            }
            txn.commit();
        }
    }
}
