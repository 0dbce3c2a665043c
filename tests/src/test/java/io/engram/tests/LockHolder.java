package io.engram.tests;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A helper process for {@link HeldLockEndToEndTest}: takes the fcntl write lock on byte 0 of
 * an LMDB lock file (the lock LMDB's open needs), prints "locked", and holds it until a line
 * (or end of input) arrives on stdin, or 60 s at most so that a failed test leaves nothing behind.
 *
 * <p>Usage: {@code java -cp <test classes> io.engram.tests.LockHolder <store>/lock.mdb}
 */
public final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
                FileLock lock = channel.lock(0, 1, false)) {
            System.out.println("locked");
            System.out.flush();
            Thread waitForRelease = new Thread(() -> {
                try {
                    System.in.read();
                } catch (IOException ignored) {
                    // the test went away: release as well
                }
            });
            waitForRelease.setDaemon(true);
            waitForRelease.start();
            waitForRelease.join(60_000);
        }
        System.out.println("released");
    }
}
