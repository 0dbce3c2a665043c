package io.engram.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Run as a separate process by {@link MultiProcessTest}: opens the store with a 1 MiB initial
 * map, writes {@code count} entries of {@code valueBytes} (starting with the key's bytes, so that
 * values differ) one write each, and prints "acknowledged N" after each acknowledged write.
 */
public final class PeerWriter {

    private PeerWriter() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        String prefix = args[1];
        int count = Integer.parseInt(args[2]);
        int valueBytes = Integer.parseInt(args[3]);
        try (LmdbStore store = new LmdbStore(MultiProcessTest.settings(dir))) {
            store.start();
            if (!store.awaitOpen(Duration.ofSeconds(20))) {
                throw new IllegalStateException("peer could not open: " + store.status());
            }
            for (int i = 0; i < count; i++) {
                byte[] key = (prefix + i).getBytes(UTF_8);
                byte[] value = new byte[valueBytes];
                System.arraycopy(key, 0, value, 0, Math.min(key.length, valueBytes));
                store.write(txn -> {
                    txn.put("shared", key, value);
                    return null;
                });
                System.out.println("acknowledged " + i);
            }
        }
        System.out.flush();
    }
}
