package io.engram.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * A folder private to this process for the Felix framework cache and lmdbjava's extracted
 * native library. Two IDE windows sharing a framework cache corrupt each other, so a process
 * takes the first free cache slot ({@code <data>/cache/slot-N}, kept across runs so the next
 * process can reuse the installed bundles), guarded by a file lock held for the life of the
 * process; the OS releases it when the process dies, even on kill -9. When every slot is
 * taken it falls back to a folder of its own named by PID, {@code <data>/run/engram-run-<pid>},
 * removed at exit; such folders of processes that are gone are removed at the next start.
 */
final class RuntimeFolder {

    private static final Logger LOG = Logger.getLogger(RuntimeFolder.class.getName());

    /** Cache slots per data folder: more IDE windows than this at once get a private folder. */
    static final int SLOT_COUNT = 8;
    static final String SLOTS_FOLDER = "cache";
    static final String RUN_FOLDER = "run";
    static final String LOCK_FILE = "lock";
    private static final String PREFIX = "engram-run-";

    /*
     * Lock files of the slots this JVM holds. A second channel must never be opened on a held
     * lock file: POSIX drops every lock a process has on a file when any descriptor of that file
     * is closed, so closing the second channel would silently free the slot for other processes.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Path lockFile;
    private final FileChannel lock;
    private final AtomicBoolean released = new AtomicBoolean();

    private RuntimeFolder(Path path, Path lockFile, FileChannel lock) {
        this.path = path;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** Takes the first free cache slot of {@code dataDir}, else a folder private to this process. */
    static RuntimeFolder acquire(Path dataDir) throws IOException {
        return acquire(dataDir, SLOT_COUNT);
    }

    static RuntimeFolder acquire(Path dataDir, int slotCount) throws IOException {
        Path run = Files.createDirectories(dataDir.resolve(RUN_FOLDER));
        removeStale(run);
        Path slots = dataDir.resolve(SLOTS_FOLDER);
        for (int i = 0; i < slotCount; i++) {
            Path slot = Files.createDirectories(slots.resolve("slot-" + i));
            RuntimeFolder taken = tryLock(slot);
            if (taken != null) {
                // lmdbjava leaves its extracted library behind when a process is killed.
                Folders.deleteTree(taken.nativeFolder());
                return taken;
            }
        }
        LOG.fine("All " + slotCount + " framework cache slots in " + slots
                + " are in use; this process builds a private cache under " + run);
        return privateFolder(run);
    }

    /**
     * A folder private to this process, removed at exit, for a host whose bundles differ from what
     * the cache slots are kept for: a slot it used would be rebuilt by the next IDE host.
     */
    static RuntimeFolder acquirePrivate(Path dataDir) throws IOException {
        Path run = Files.createDirectories(dataDir.resolve(RUN_FOLDER));
        removeStale(run);
        return privateFolder(run);
    }

    private static RuntimeFolder privateFolder(Path run) throws IOException {
        Path own = run.resolve(PREFIX + ProcessHandle.current().pid());
        Folders.deleteTree(own); // left by an earlier process that had our PID
        return new RuntimeFolder(Files.createDirectories(own), null, null);
    }

    private static RuntimeFolder tryLock(Path slot) throws IOException {
        Path lockFile = slot.resolve(LOCK_FILE).toAbsolutePath().normalize();
        if (!HELD_HERE.add(lockFile)) {
            return null;
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new RuntimeFolder(slot, lockFile, channel);
            }
        } catch (IOException | RuntimeException e) {
            LOG.fine("Cannot lock " + lockFile + ": " + e);
        }
        if (channel != null) {
            channel.close();
        }
        HELD_HERE.remove(lockFile);
        return null;
    }

    /** The folder itself. */
    Path path() {
        return path;
    }

    /** Where Felix keeps installed bundles and their data. */
    Path frameworkCache() {
        return path.resolve("felix-cache");
    }

    /** Where lmdbjava extracts its native library. */
    Path nativeFolder() {
        return path.resolve("native");
    }

    /** Whether this is a cache slot, whose framework cache outlives the process for the next one. */
    boolean reusable() {
        return lock != null;
    }

    /**
     * Gives the folder up once the framework has stopped: a slot is unlocked and kept for the
     * next process, a private folder is deleted. Does nothing the second time.
     */
    void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        if (lock == null) {
            Folders.deleteTree(path);
            return;
        }
        Folders.deleteTree(nativeFolder());
        try {
            lock.close();
        } catch (IOException e) {
            LOG.fine("Could not unlock " + lockFile + ": " + e);
        }
        HELD_HERE.remove(lockFile);
    }

    private static void removeStale(Path run) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(run, PREFIX + "*")) {
            for (Path entry : entries) {
                String pid = entry.getFileName().toString().substring(PREFIX.length());
                try {
                    if (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                } catch (NumberFormatException notOurs) {
                    continue;
                }
                LOG.fine("Removing runtime folder of a process that is gone: " + entry);
                Folders.deleteTree(entry);
            }
        } catch (IOException e) {
            LOG.fine("Could not scan " + run + " for stale runtime folders: " + e);
        }
    }
}
