package io.engram.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which processes have a store open. Every process with an LMDB environment open holds an
 * fcntl lock on its lock.mdb, and Linux lists those locks in /proc/locks as
 * {@code id: POSIX ADVISORY READ pid MAJ:MIN:INODE start end}, major and minor in hex. The lock
 * file is only ever stat-ed here: opening and closing a descriptor of it would drop this
 * process's own locks on it.
 */
final class ProcessLocks {

    private static final Logger LOG = Logger.getLogger(ProcessLocks.class.getName());

    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    private ProcessLocks() {
    }

    /**
     * The processes holding or awaiting a lock on {@code lockFile}, in ascending order; empty
     * when the platform cannot tell (no /proc/locks) or the file does not exist.
     */
    static Optional<List<Long>> holders(Path lockFile) {
        if (!Files.isReadable(PROC_LOCKS)) {
            return Optional.empty();
        }
        try {
            long dev = ((Number) Files.getAttribute(lockFile, "unix:dev")).longValue();
            long inode = ((Number) Files.getAttribute(lockFile, "unix:ino")).longValue();
            return Optional.of(parse(Files.readString(PROC_LOCKS), major(dev), minor(dev), inode));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            LOG.log(Level.FINE, "Cannot tell which processes lock " + lockFile, e);
            return Optional.empty();
        }
    }

    /** The PIDs of the locks in {@code procLocks} (the text of /proc/locks) on the given file, ascending. */
    static List<Long> parse(String procLocks, long major, long minor, long inode) {
        TreeSet<Long> pids = new TreeSet<>();
        for (String line : procLocks.split("\n")) {
            // A waiter is shown as "1: -> POSIX ...": it is opening the store, so it counts too.
            String[] fields = line.replace("->", " ").trim().split("\\s+");
            if (fields.length < 6) {
                continue;
            }
            String[] file = fields[5].split(":");
            if (file.length != 3) {
                continue;
            }
            try {
                long pid = Long.parseLong(fields[4]);
                if (pid > 0 && Long.parseLong(file[0], 16) == major && Long.parseLong(file[1], 16) == minor
                        && Long.parseLong(file[2]) == inode) {
                    pids.add(pid);
                }
            } catch (NumberFormatException e) {
                // Not a lock line.
            }
        }
        return List.copyOf(pids);
    }

    /** The major number of a Linux {@code st_dev} (glibc's encoding). */
    static long major(long dev) {
        return ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & 0xfffff000L);
    }

    /** The minor number of a Linux {@code st_dev} (glibc's encoding). */
    static long minor(long dev) {
        return (dev & 0xffL) | ((dev >>> 12) & 0xffffff00L);
    }
}
