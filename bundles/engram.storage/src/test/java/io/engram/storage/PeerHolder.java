package io.engram.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Run as a separate process: opens the store in {@code args[0]}, prints "open" and keeps it open
 * until its stdin closes. With {@code args[1] = "read"} it also holds a read transaction (a reader
 * slot) open meanwhile and prints "reading" instead, so that killing it leaves a stale slot.
 */
public final class PeerHolder {

    private PeerHolder() {
    }

    public static void main(String[] args) throws IOException {
        try (LmdbStore store = new LmdbStore(MultiProcessTest.settings(Path.of(args[0])))) {
            store.start();
            if (!store.awaitOpen(Duration.ofSeconds(20))) {
                throw new IllegalStateException("peer could not open: " + store.status());
            }
            if (args.length > 1 && args[1].equals("read")) {
                store.read(txn -> {
                    System.out.println("reading");
                    System.out.flush();
                    waitForEndOfInput();
                    return null;
                });
            } else {
                System.out.println("open");
                System.out.flush();
                waitForEndOfInput();
            }
        }
    }

    private static void waitForEndOfInput() {
        try {
            while (System.in.read() >= 0) {
                // Held until the parent closes our stdin (or kills us).
            }
        } catch (IOException e) {
            // The parent is gone: close.
        }
    }
}
