package io.engram.storage;

import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;

/**
 * Run as a separate process by {@link OpenTest}: takes the exclusive lock LMDB takes while it
 * initialises an environment (byte 0 of lock.mdb, an fcntl lock) and holds it, as a peer that
 * is opening the store at that moment would. Prints "locked" once it holds it.
 */
public final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (RandomAccessFile file = new RandomAccessFile(args[0], "rw");
                FileChannel channel = file.getChannel();
                FileLock lock = channel.lock(0, 1, false)) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.parseLong(args[1]));
        }
    }
}
