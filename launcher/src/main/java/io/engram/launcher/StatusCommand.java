package io.engram.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;

/**
 * {@code java -jar engram.jar status}: a plain-text report for admins of the hosts running on a
 * data folder, and of the bundles, tools and settings a host gets from it. The bundles and
 * tools are those of a host this command starts itself, in a cache slot of its own, next to
 * any running ones (LMDB serves many processes at once).
 */
final class StatusCommand {

    private static final Logger LOG = Logger.getLogger(StatusCommand.class.getName());

    /** The store's lock file, which every process with the store open holds a lock on. */
    static final Path STORE_LOCK = Path.of("store", "lock.mdb");
    private static final Path PROC_LOCKS = Path.of("/proc/locks");
    private static final boolean PROC_LOCKS_READABLE = Files.isReadable(PROC_LOCKS);

    private StatusCommand() {
    }

    /** Writes the report to {@code out}; the host it starts for the purpose is stopped before this returns. */
    static void report(Path dataDir, Path configDir, PrintStream out)
            throws IOException, BundleException, InterruptedException {
        out.println("Engram status");
        out.println("data folder:   " + dataDir);
        out.println("config folder: " + configDir);
        out.println();
        // Before our own host takes a slot and opens the store, so that only other processes show.
        reportHosts(dataDir, out);

        try (CommandHost host = CommandHost.start(dataDir, configDir, List.of())) {
            reportBundles(host.context(), out);
            reportTools(host.context(), out);
        }
        // After the host: its start creates the config folder with the defaults when missing.
        reportConfig(configDir, out);
        out.flush();
    }

    private static void reportHosts(Path dataDir, PrintStream out) {
        out.println("Hosts running on this data folder:");
        List<Long> storeHolders = lockHolders(dataDir.resolve(STORE_LOCK));
        boolean any = false;
        for (Path lockFile : slotLocks(dataDir)) {
            String slot = lockFile.getParent().getFileName().toString();
            List<Long> pids = lockHolders(lockFile);
            if (!pids.isEmpty()) {
                out.println("  cache " + slot + ": PID " + join(pids));
                any = true;
            } else if (!PROC_LOCKS_READABLE && inUse(lockFile)) {
                out.println("  cache " + slot + ": in use");
                any = true;
            }
        }
        if (!storeHolders.isEmpty()) {
            out.println("  store open in: PID " + join(storeHolders));
            any = true;
        }
        if (!any) {
            out.println("  none");
        }
        out.println();
    }

    private static List<Path> slotLocks(Path dataDir) {
        List<Path> locks = new ArrayList<>();
        Path slots = dataDir.resolve(RuntimeFolder.SLOTS_FOLDER);
        if (!Files.isDirectory(slots)) {
            return locks;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(slots, "slot-*")) {
            for (Path slot : entries) {
                Path lock = slot.resolve(RuntimeFolder.LOCK_FILE);
                if (Files.isRegularFile(lock)) {
                    locks.add(lock);
                }
            }
        } catch (IOException e) {
            LOG.warning("Cannot list the cache slots in " + slots + ": " + e.getMessage());
        }
        locks.sort(null);
        return locks;
    }

    /**
     * Whether another process holds the lock, found by taking it and letting go at once. Used only
     * where /proc/locks is missing. Safe because it runs before this process takes a slot: closing a
     * second channel on a lock file this JVM holds would drop that lock (POSIX), see RuntimeFolder.
     */
    private static boolean inUse(Path lockFile) {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException heldHere) {
            return true;
        } catch (IOException e) {
            LOG.fine("Cannot probe " + lockFile + ": " + e);
            return false;
        }
    }

    /**
     * PIDs holding a lock on the file, from /proc/locks (Linux), matched by inode; empty when the
     * file or /proc/locks is missing. The file itself is never opened: closing a descriptor of
     * lock.mdb would drop the locks LMDB holds on it in this process.
     */
    static List<Long> lockHolders(Path file) {
        if (!PROC_LOCKS_READABLE || !Files.exists(file)) {
            return List.of();
        }
        Set<Long> pids = new TreeSet<>();
        try {
            long inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
            for (String line : Files.readAllLines(PROC_LOCKS, StandardCharsets.US_ASCII)) {
                // "1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF"; a "->" line is a waiter, not a holder.
                String[] fields = line.trim().split("\\s+");
                if (fields.length < 6 || line.contains("->")) {
                    continue;
                }
                String device = fields[5];
                long pid = Long.parseLong(fields[4]);
                if (pid > 0 && Long.parseLong(device.substring(device.lastIndexOf(':') + 1)) == inode) {
                    pids.add(pid);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.fine("Cannot tell which processes lock " + file + ": " + e);
        }
        return new ArrayList<>(pids);
    }

    private static String join(List<Long> pids) {
        List<String> names = new ArrayList<>();
        pids.forEach(pid -> names.add(String.valueOf(pid)));
        return String.join(", ", names);
    }

    private static void reportBundles(BundleContext system, PrintStream out) {
        out.println("Bundles:");
        for (Bundle bundle : system.getBundles()) {
            out.printf("  %3d  %-32s %-20s %-10s %s%n", bundle.getBundleId(), bundle.getSymbolicName(),
                    bundle.getVersion(), state(bundle.getState()), bundle.getLocation());
        }
        out.println();
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNKNOWN(" + state + ")";
        };
    }

    private static void reportTools(BundleContext system, PrintStream out) {
        out.println("Tools:");
        List<String> lines = new ArrayList<>();
        for (ServiceReference<?> tool : ToolServices.all(system)) {
            Bundle serving = tool.getBundle();
            if (serving == null) {
                continue; // unregistered meanwhile
            }
            lines.add(String.format("  %-32s %s", ToolServices.name(system, tool), serving.getSymbolicName()));
        }
        lines.sort(null);
        if (lines.isEmpty()) {
            out.println("  none");
        }
        lines.forEach(out::println);
        out.println();
    }

    private static void reportConfig(Path configDir, PrintStream out) throws IOException {
        out.println("Config:");
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(configDir)) {
            try (DirectoryStream<Path> cfgs = Files.newDirectoryStream(configDir, "*.cfg")) {
                cfgs.forEach(files::add);
            }
        }
        files.sort(null);
        for (Path file : files) {
            out.println("  " + file.getFileName() + ":");
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String setting = line.strip();
                if (!setting.isEmpty() && !setting.startsWith("#") && !setting.startsWith("!")) {
                    out.println("    " + setting);
                }
            }
        }
        out.println("  " + BundleList.FILE_NAME + ":");
        if (Files.isRegularFile(configDir.resolve(BundleList.FILE_NAME))) {
            for (String name : BundleList.read(configDir)) {
                out.println("    " + name);
            }
        }
    }
}
