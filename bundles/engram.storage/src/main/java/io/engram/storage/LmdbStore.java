package io.engram.storage;

import io.engram.api.store.Store;
import io.engram.api.store.StoreClosedException;
import io.engram.api.store.StoreAdmin;
import io.engram.api.store.StoreException;
import io.engram.api.store.StoreFullException;
import io.engram.api.store.StoreInUseException;
import io.engram.api.store.StoreStatus;
import io.engram.api.store.StoreUnavailableException;
import io.engram.api.store.WriteTxn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.lmdbjava.CopyFlags;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.EnvInfo;
import org.lmdbjava.LmdbException;
import org.lmdbjava.LmdbNativeException;
import org.lmdbjava.Meta;
import org.lmdbjava.Txn;

/**
 * The {@link Store} on an LMDB environment, shared safely with other processes that open the
 * same folder. Plain Java: usable directly in tests with {@code new LmdbStore(settings)},
 * {@link #start()}, {@link #awaitOpen(Duration)} and {@link #close()}.
 *
 * <ul>
 * <li>Opening runs in the background ({@link StoreOpener}); calls meanwhile wait up to
 *     {@code callWaitMs}, then fail with {@link StoreUnavailableException}.</li>
 * <li>Every transaction runs under the read side of a read-write lock with a closing flag
 *     checked inside it; closing and growing the map take the write side. Closing an
 *     environment while a transaction is open crashes the JVM, so this is not optional.</li>
 * <li>Writes go through one platform thread that group-commits: it takes every queued write,
 *     runs each in a nested transaction of one parent (a failing work rolls back only itself),
 *     commits the parent durably once, then answers every caller ({@code groupCommit = false}:
 *     one write per commit).</li>
 * <li>Backup copies under the read side (close waits for it; writers go on). Restore and
 *     compaction need the store to themselves: they refuse while another process has it open,
 *     then close, swap the database file and reopen under the write side.</li>
 * </ul>
 */
public final class LmdbStore implements Store, StoreAdmin, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LmdbStore.class.getName());

    /** Upper bound of works per group commit, so that a rerun after growing the map stays small. */
    private static final int MAX_BATCH = 256;

    private static final long MIB = 1024L * 1024L;

    private static final String DATA_FILE = "data.mdb";
    private static final String LOCK_FILE = "lock.mdb";

    private static final boolean WINDOWS = OpenErrorClassifier.Os.current() == OpenErrorClassifier.Os.WINDOWS;

    private final Path dir;
    private volatile StoreSettings settings;
    private final StoreOpener opener;

    private final Object stateLock = new Object();
    private boolean started;
    private volatile boolean closing;
    private volatile boolean closed;
    private volatile Env<ByteBuffer> env;
    private volatile Thread writerThread;
    /** Writer thread only: the last batch found keyspaces its handles did not know. */
    private boolean keyspacesBehind;
    /** Completes when the store opened, failed for good, or began closing: waiting callers then look again. */
    private final CompletableFuture<Void> settled = new CompletableFuture<>();
    private volatile String failure;
    private volatile Throwable failureCause;
    private volatile String retryReason;
    private volatile Throwable retryCause;

    private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();
    private final Keyspaces keyspaces = new Keyspaces();
    private final BlockingQueue<PendingWrite<?>> queue = new LinkedBlockingQueue<>();
    private final ThreadLocal<int[]> readDepth = ThreadLocal.withInitial(() -> new int[1]);
    private final Map<Long, Operation> running = new ConcurrentHashMap<>();
    private final AtomicLong operationIds = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();

    public LmdbStore(StoreSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.dir = settings.dir().toAbsolutePath().normalize();
        this.opener = new StoreOpener(settings, dir, new OpenErrorClassifier(OpenErrorClassifier.Os.current()),
                new OpenerListener());
    }

    /** Begins opening on a background thread and returns at once. */
    public void start() {
        synchronized (stateLock) {
            if (started) {
                throw new IllegalStateException("store at " + dir + " already started");
            }
            if (closing) {
                throw new StoreClosedException("storage is closing");
            }
            started = true;
        }
        LOG.info("Opening database " + dir);
        opener.start();
    }

    /** Waits until the store is open; false if it failed, is closing, or {@code timeout} passed. */
    public boolean awaitOpen(Duration timeout) {
        try {
            settled.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
        return env != null && !closing;
    }

    /** The store's folder, absolute. */
    public Path dir() {
        return dir;
    }

    /** Current settings. */
    public StoreSettings settings() {
        return settings;
    }

    /**
     * Takes settings that need no reopen (call wait, drain timeout, maximum map size; the retry
     * policy applies to the next open).
     *
     * @throws IllegalArgumentException if {@code next} changes the folder or a limit fixed at open
     */
    public void updateSettings(StoreSettings next) {
        if (!settings.canApplyLive(next)) {
            throw new IllegalArgumentException("the folder, maxReaders and maxKeyspaces need a reopen");
        }
        settings = next;
    }

    /** Durable commits made so far; a group commit makes one for many writes. */
    public long commitCount() {
        return commits.get();
    }

    /** Writes waiting for the writer (not yet in a group). */
    int queuedWrites() {
        return queue.size();
    }

    @Override
    public <T> T read(ReadWork<T> work) {
        Objects.requireNonNull(work, "work");
        if (Thread.currentThread() == writerThread) {
            throw new IllegalStateException("Store.read() was called inside a write work: read through the"
                    + " WriteTxn the work was given");
        }
        awaitReady();
        while (true) {
            boolean resized = false;
            Lock lock = guard.readLock();
            lock.lock();
            long id = track("read", 1);
            try {
                Env<ByteBuffer> open = current();
                Map<String, Dbi<ByteBuffer>> snapshot = keyspaces.snapshot();
                try (Txn<ByteBuffer> txn = open.txnRead()) {
                    if (Keyspaces.covers(open, snapshot)) {
                        int[] depth = readDepth.get();
                        depth[0]++;
                        try {
                            return work.run(new LmdbReadTxn(txn, snapshot));
                        } finally {
                            depth[0]--;
                        }
                    }
                }
                keyspaces.refresh(open);
            } catch (Dbi.MapResizedException e) {
                resized = true;
            } finally {
                running.remove(id);
                lock.unlock();
            }
            if (resized) {
                adoptPeerMapSize();
            }
        }
    }

    @Override
    public <T> T write(WriteWork<T> work) {
        Objects.requireNonNull(work, "work");
        if (Thread.currentThread() == writerThread) {
            throw new IllegalStateException("Store.write() was called inside a write work, which would wait for"
                    + " itself: use the WriteTxn the work was given");
        }
        if (readDepth.get()[0] > 0) {
            throw new IllegalStateException("Store.write() was called inside a read work: do the reads inside the"
                    + " write work instead (a WriteTxn can read)");
        }
        awaitReady();
        PendingWrite<T> pending = new PendingWrite<>(work);
        synchronized (stateLock) {
            checkNotClosing();
            queue.add(pending);
        }
        return pending.await();
    }

    @Override
    public StoreStatus status() {
        String path = dir.toString();
        if (closing) {
            return StoreStatus.of(path, StoreStatus.State.UNAVAILABLE, closed ? "closed" : "closing");
        }
        Env<ByteBuffer> open = env;
        if (open == null) {
            return failure != null
                    ? StoreStatus.of(path, StoreStatus.State.UNAVAILABLE, failure)
                    : StoreStatus.of(path, StoreStatus.State.OPENING, retryReason);
        }
        Lock lock = guard.readLock();
        // Closing or growing the map holds the write side; status must not wait for that.
        if (!lock.tryLock()) {
            return StoreStatus.of(path, StoreStatus.State.OPEN, "busy: growing or closing");
        }
        try {
            open = current();
            EnvInfo info = open.info();
            long usedBytes = (info.lastPageNumber + 1) * open.stat().pageSize;
            ReentrantLock handleLock = keyspaces.handleLock();
            if (handleLock.tryLock()) {
                try {
                    keyspaces.refresh(open);
                } finally {
                    handleLock.unlock();
                }
            }
            Map<String, Long> entries = new TreeMap<>();
            Map<String, Dbi<ByteBuffer>> snapshot = keyspaces.snapshot();
            try (Txn<ByteBuffer> txn = open.txnRead()) {
                snapshot.forEach((name, dbi) -> {
                    if (dbi != null) {
                        entries.put(name, dbi.stat(txn).entries);
                    }
                });
            }
            return new StoreStatus(path, StoreStatus.State.OPEN, null, info.mapSize, usedBytes, diskBytes(),
                    info.numReaders, info.maxReaders, processIds(), commitCount(), entries);
        } catch (LmdbException | StoreUnavailableException e) {
            return StoreStatus.of(path, closing ? StoreStatus.State.UNAVAILABLE : StoreStatus.State.OPEN,
                    e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** Size of data.mdb; a stat, never an open (closing a descriptor would drop LMDB's locks). */
    private long diskBytes() {
        return sizeOf(dir.resolve(DATA_FILE));
    }

    /** The processes that have the store open, this one included; empty when the platform cannot tell. */
    public List<Long> processIds() {
        return ProcessLocks.holders(dir.resolve(LOCK_FILE)).orElse(List.of());
    }

    /**
     * Copies the store, compacted, into {@code destination} through a read transaction: a
     * consistent snapshot while writers here and in other processes go on. Runs under the read
     * side of the guard, so closing waits for it.
     */
    @Override
    public BackupResult backup(Path destination) {
        Path target = destination.toAbsolutePath().normalize();
        requireEmptyFolder(target);
        long started = System.nanoTime();
        awaitReady();
        while (true) {
            boolean resized = false;
            Lock lock = guard.readLock();
            lock.lock();
            long id = track("backup to " + target, 1);
            try {
                current().copy(target.toFile(), CopyFlags.MDB_CP_COMPACT);
            } catch (Dbi.MapResizedException e) {
                resized = true;
            } catch (LmdbException e) {
                throw new StoreException("backup of " + dir + " to " + target + " failed: " + e.getMessage(), e);
            } finally {
                running.remove(id);
                lock.unlock();
            }
            if (!resized) {
                break;
            }
            deleteQuietly(target.resolve(DATA_FILE));
            adoptPeerMapSize();
        }
        try {
            forceToDisk(target.resolve(DATA_FILE));
        } catch (IOException e) {
            throw new StoreException("backup of " + dir + " to " + target + " could not be flushed to disk: " + e, e);
        }
        long bytes = sizeOf(target.resolve(DATA_FILE));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        LOG.info("Backed up " + dir + " to " + target + " (" + bytes + " bytes) in " + tookMs + " ms");
        return new BackupResult(target.toString(), bytes, tookMs);
    }

    /**
     * Copies {@code source}'s data.mdb into the store folder, checks the copy (it opens and every
     * entry reads), then swaps it in for the live file and reopens. The live store is untouched
     * when anything before the swap fails, and put back when the new file does not open.
     */
    @Override
    public RestoreResult restore(Path source) {
        Path from = source.toAbsolutePath().normalize();
        long started = System.nanoTime();
        awaitReady();
        String what = "the backup at " + from;
        if (!Files.isRegularFile(from.resolve(DATA_FILE))) {
            throw new StoreException("cannot restore: " + what + " holds no data.mdb (give the folder a backup"
                    + " was written to)");
        }
        if (sameFolder(from, dir)) {
            throw new StoreException("cannot restore the store at " + dir + " from itself");
        }
        refuseIfShared("restore");
        Path staging = stagingFolder("restore");
        try {
            Files.copy(from.resolve(DATA_FILE), staging.resolve(DATA_FILE));
            // A file copy does not sync; the file must be on disk before it is renamed in.
            forceToDisk(staging.resolve(DATA_FILE));
            long entries = BackupCheck.entries(staging, what, settings.maxKeyspaces());
            replaceDatabase("restore", open -> staging.resolve(DATA_FILE));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            LOG.info("Restored " + dir + " from " + from + " (" + entries + " entries) in " + tookMs + " ms");
            return new RestoreResult(from.toString(), entries, tookMs);
        } catch (IOException e) {
            throw new StoreException("cannot restore from " + from + ": " + e, e);
        } finally {
            deleteFolder(staging);
        }
    }

    /**
     * Frees reader slots of dead processes; with {@code compact}, rewrites the database without
     * free pages (a compacting copy swapped in like a restore, refused while others use the store).
     */
    @Override
    public CleanupResult cleanup(boolean compact) {
        awaitReady();
        int cleared;
        Lock lock = guard.readLock();
        lock.lock();
        try {
            cleared = current().readerCheck();
        } finally {
            lock.unlock();
        }
        long before = diskBytes();
        if (!compact) {
            LOG.info("Cleanup of " + dir + ": cleared " + cleared + " stale reader slots");
            return new CleanupResult(cleared, false, before, before);
        }
        refuseIfShared("compaction");
        Path staging = stagingFolder("compact");
        try {
            replaceDatabase("compaction", open -> {
                open.copy(staging.toFile(), CopyFlags.MDB_CP_COMPACT);
                forceToDisk(staging.resolve(DATA_FILE));
                return staging.resolve(DATA_FILE);
            });
        } finally {
            deleteFolder(staging);
        }
        long after = diskBytes();
        LOG.info("Cleanup of " + dir + ": cleared " + cleared + " stale reader slots, compacted from " + before
                + " to " + after + " bytes");
        return new CleanupResult(cleared, true, before, after);
    }

    /** Makes the replacement database file, flushed to disk, from the environment about to be closed. */
    @FunctionalInterface
    private interface Replacement {
        Path prepare(Env<ByteBuffer> open) throws IOException;
    }

    /**
     * Under the write side of the guard: prepares the replacement, closes the environment, moves
     * data.mdb aside, renames the replacement into place and reopens; if that fails, puts the
     * previous file back and reopens it.
     */
    private void replaceDatabase(String operation, Replacement replacement) {
        long waitMs = settings.callWaitMs();
        if (!tryLock(guard.writeLock(), waitMs)) {
            throw new StoreException(operation + " of " + dir + " did not start: running transactions did not"
                    + " finish within " + waitMs + " ms; try again");
        }
        long id = track(operation, 1);
        try {
            Env<ByteBuffer> open = current();
            // A peer may have opened the store since the first check; it is cheap to look again.
            refuseIfShared(operation);
            Path file;
            try {
                file = replacement.prepare(open);
            } catch (IOException e) {
                throw new StoreException(operation + " of " + dir + " failed: " + e + "; the store is unchanged", e);
            } catch (LmdbException e) {
                throw new StoreException(operation + " of " + dir + " failed: " + e.getMessage()
                        + "; the store is unchanged", e);
            }
            long mapSize = open.info().mapSize;
            open.sync(true);
            // env keeps the closed environment until the reopen: calls wait on the guard meanwhile.
            open.close();
            keyspaces.forget();
            Path live = dir.resolve(DATA_FILE);
            Path aside = dir.resolve(DATA_FILE + ".before-" + operation);
            try {
                Files.move(live, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                reopen(mapSize, operation);
                throw new StoreException(operation + " of " + dir + " failed: could not move data.mdb aside (" + e
                        + "); the store is unchanged", e);
            }
            try {
                Files.move(file, live, StandardCopyOption.ATOMIC_MOVE);
                syncFolder(dir);
                env = StoreOpener.openEnv(settings, dir, mapSize);
            } catch (IOException | RuntimeException e) {
                putBack(aside, live, mapSize, operation);
                throw new StoreException(operation + " of " + dir + " failed: " + e + "; the previous contents are"
                        + " back in place", e);
            }
            deleteQuietly(aside);
        } finally {
            running.remove(id);
            guard.writeLock().unlock();
        }
    }

    private void putBack(Path aside, Path live, long mapSize, String operation) {
        try {
            Files.move(aside, live, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            markFailed("after a failed " + operation + ", the previous database could not be put back from " + aside
                    + " (" + e + "): move it to " + live + " and restart", e);
            return;
        }
        reopen(mapSize, operation);
    }

    private void reopen(long mapSize, String operation) {
        try {
            env = StoreOpener.openEnv(settings, dir, mapSize);
        } catch (RuntimeException e) {
            markFailed("after a failed " + operation + ", the database at " + dir + " did not reopen: " + e
                    + "; restart Engram", e);
        }
    }

    private void markFailed(String message, Throwable cause) {
        LOG.log(Level.SEVERE, message, cause);
        failureCause = cause;
        failure = message;
        env = null;
    }

    /** Restore and compaction replace the file under every process that has it mapped: only when alone. */
    private void refuseIfShared(String operation) {
        long self = ProcessHandle.current().pid();
        List<Long> holders = ProcessLocks.holders(dir.resolve(LOCK_FILE)).orElse(List.of());
        // Not even finding this process's own lock means the lock list cannot be trusted here.
        if (!holders.contains(self)) {
            throw new StoreException(operation + " refused: on this platform Engram cannot tell whether other"
                    + " processes have the store at " + dir + " open");
        }
        List<Long> others = holders.stream().filter(pid -> pid != self).toList();
        if (!others.isEmpty()) {
            throw new StoreInUseException(operation, others);
        }
    }

    /** A fresh folder inside the store folder, so that the final rename stays on one file system. */
    private Path stagingFolder(String operation) {
        try {
            return Files.createTempDirectory(dir, operation + "-");
        } catch (IOException e) {
            throw new StoreException(operation + " of " + dir + " failed: cannot create a folder in it (" + e + ")", e);
        }
    }

    private static void requireEmptyFolder(Path target) {
        try {
            if (Files.isDirectory(target)) {
                try (Stream<Path> entries = Files.list(target)) {
                    if (entries.findAny().isPresent()) {
                        throw new StoreException("backup destination " + target + " is not empty: give a new or"
                                + " empty folder");
                    }
                }
            } else if (Files.exists(target)) {
                throw new StoreException("backup destination " + target + " is a file: give a new or empty folder");
            } else {
                Files.createDirectories(target);
            }
        } catch (IOException e) {
            throw new StoreException("backup destination " + target + " cannot be used: " + e, e);
        }
    }

    /**
     * Flushes a file to disk. Never call it on data.mdb or lock.mdb of an open store: closing the
     * descriptor would drop this process's LMDB locks.
     */
    private static void forceToDisk(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Flushes a rename in {@code folder} to disk where the platform allows opening a folder (not Windows). */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.log(Level.FINE, "Could not sync the folder " + folder, e);
        }
    }

    private static boolean sameFolder(Path a, Path b) {
        try {
            return a.equals(b) || Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not delete " + file, e);
        }
    }

    private static void deleteFolder(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(LmdbStore::deleteQuietly);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not delete " + folder, e);
        }
    }

    /**
     * Drains and closes: new calls fail with {@link StoreClosedException} at once, queued writes
     * that have not started fail the same way (never acknowledged, so nothing is lost), running
     * transactions get up to {@code drainTimeoutMs}, then the environment is synced and closed.
     * If they do not finish, the environment is left open: closing it under a running
     * transaction would crash the JVM, and process exit releases its locks safely. Idempotent.
     */
    @Override
    public void close() {
        Env<ByteBuffer> open;
        synchronized (stateLock) {
            if (closing) {
                return;
            }
            closing = true;
            open = env;
        }
        settled.complete(null);
        opener.stop();
        failQueuedWrites();
        if (open == null) {
            if (!opener.awaitStopped(settings.drainTimeoutMs())) {
                LOG.warning("The opener of " + dir + " did not stop within " + settings.drainTimeoutMs() + " ms");
            }
            closed = true;
            LOG.info("Storage closed before the database at " + dir + " opened");
            return;
        }
        LOG.info("Flushing: waiting for " + inFlightTransactions() + " in-flight transactions");
        long drainMs = settings.drainTimeoutMs();
        if (!tryLock(guard.writeLock(), drainMs)) {
            LOG.warning("Storage did not drain within " + drainMs + " ms; leaving the database at " + dir
                    + " open (process exit releases its locks). Still running: " + describeRunning());
            return;
        }
        try {
            LOG.info("Closing database " + dir);
            // A restore or compaction may have replaced the environment, or failed to reopen it.
            open = env;
            if (open != null) {
                try {
                    open.sync(true);
                } catch (LmdbException e) {
                    LOG.log(Level.WARNING, "Final sync of " + dir + " failed", e);
                }
                open.close();
            }
            StoreOpener.release(dir);
            closed = true;
            LOG.info("Database closed");
        } finally {
            guard.writeLock().unlock();
        }
        writerThread.interrupt();
    }

    private void awaitReady() {
        if (!settled.isDone()) {
            try {
                settled.get(settings.callWaitMs(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreUnavailableException("interrupted while waiting for the database to open", true, e);
            } catch (ExecutionException | TimeoutException e) {
                // Looked at below.
            }
        }
        checkNotClosing();
        if (env != null) {
            return;
        }
        if (failure != null) {
            throw new StoreUnavailableException(failure, false, failureCause);
        }
        throw new StoreUnavailableException(retryReason != null ? retryReason : "database is still opening", true,
                retryCause);
    }

    private void checkNotClosing() {
        if (closing) {
            throw new StoreClosedException("storage is closing");
        }
    }

    /** The open environment; call under the guard. */
    private Env<ByteBuffer> current() {
        checkNotClosing();
        Env<ByteBuffer> open = env;
        if (open == null) {
            // Only after a restore or compaction could reopen neither the new nor the old file.
            throw new StoreUnavailableException(failure, false, failureCause);
        }
        return open;
    }

    private void writeLoop() {
        List<PendingWrite<?>> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            if (settings.groupCommit()) {
                queue.drainTo(batch, MAX_BATCH - 1);
            }
            commitBatch(batch);
            batch.clear();
        }
    }

    /** Runs and commits one group, rerunning it after the map grew; then answers every caller. */
    private void commitBatch(List<PendingWrite<?>> batch) {
        while (true) {
            Env.MapFullException mapFull = null;
            boolean resized = false;
            Lock lock = guard.readLock();
            lock.lock();
            long id = track("write batch of " + batch.size(), batch.size());
            try {
                checkNotClosing();
                runBatch(batch);
            } catch (Env.MapFullException e) {
                mapFull = e;
            } catch (Dbi.MapResizedException e) {
                resized = true;
            } catch (StoreException e) {
                failAll(batch, e);
                return;
            } catch (RuntimeException e) {
                failAll(batch, writeFailure(e));
                return;
            } finally {
                running.remove(id);
                lock.unlock();
            }
            try {
                if (mapFull != null) {
                    growMap(mapFull);
                    continue;
                }
                if (resized) {
                    adoptPeerMapSize();
                    continue;
                }
            } catch (StoreException e) {
                failAll(batch, e);
                return;
            }
            batch.forEach(PendingWrite::complete);
            return;
        }
    }

    private void runBatch(List<PendingWrite<?>> batch) {
        Env<ByteBuffer> open = current();
        ReentrantLock handleLock = keyspaces.handleLock();
        // Held until the parent ended: keyspaces opened in it must not race other opens (see Keyspaces).
        handleLock.lock();
        try {
            if (keyspacesBehind) {
                keyspaces.refresh(open); // before the batch: a failure here reruns nothing committed
            }
            Map<String, Dbi<ByteBuffer>> known = new HashMap<>(keyspaces.snapshot());
            Map<String, Dbi<ByteBuffer>> openedInBatch = new HashMap<>();
            boolean complete;
            try (Txn<ByteBuffer> parent = open.txnWrite()) {
                // With LMDB's write lock held only this batch can create a keyspace: when the handles cover the
                // environment now, one unknown to the batch does not exist, and reading it needs no mdb_dbi_open
                // (which fails with an exception each time: costly for the graph's keyspaces that a store without
                // edges lacks, read on every memory_add).
                complete = Keyspaces.covers(open, known);
                for (PendingWrite<?> pending : batch) {
                    runInChild(open, parent, known, complete, openedInBatch, pending);
                }
                parent.commit();
            }
            commits.incrementAndGet();
            keyspaces.publish(openedInBatch);
            keyspacesBehind = !complete; // a peer process created keyspaces: take them in before the next batch
        } finally {
            handleLock.unlock();
        }
    }

    private static void runInChild(Env<ByteBuffer> open, Txn<ByteBuffer> parent, Map<String, Dbi<ByteBuffer>> known,
            boolean complete, Map<String, Dbi<ByteBuffer>> openedInBatch, PendingWrite<?> pending) {
        try (Txn<ByteBuffer> child = open.txn(parent)) {
            LmdbWriteTxn txn = new LmdbWriteTxn(open, child, known, complete);
            try {
                pending.run(txn);
            } catch (RuntimeException | Error e) {
                pending.failed(e);
            }
            if (txn.batchFailure() != null) {
                throw txn.batchFailure();
            }
            if (pending.succeeded()) {
                child.commit();
                known.putAll(txn.opened());
                openedInBatch.putAll(txn.opened());
            }
        }
    }

    private void growMap(Env.MapFullException cause) {
        long waitMs = settings.callWaitMs();
        if (!tryLock(guard.writeLock(), waitMs)) {
            throw new StoreException("could not grow the store at " + dir + ": other transactions did not finish"
                    + " within " + waitMs + " ms", cause);
        }
        try {
            Env<ByteBuffer> open = current();
            long current = open.info().mapSize;
            long max = settings.maxMapSizeBytes();
            if (current >= max) {
                throw new StoreFullException("the store at " + dir + " reached its maximum size of " + max / MIB
                        + " MiB (maxMapSizeBytes): raise maxMapSizeBytes in config/engram.storage.cfg or delete data",
                        cause);
            }
            long next = current > max / 2 ? max : current * 2;
            try {
                open.setMapSize(next);
            } catch (LmdbNativeException e) {
                throw new StoreFullException("could not grow the store at " + dir + " to " + next / MIB
                        + " MiB (code " + e.getResultCode() + "): free disk space or memory", e);
            }
            LOG.info("Grew the map of " + dir + " from " + current / MIB + " MiB to " + next / MIB + " MiB");
        } finally {
            guard.writeLock().unlock();
        }
    }

    /** A peer process grew the map: take its size (LMDB reads it when asked for size 0). */
    private void adoptPeerMapSize() {
        long waitMs = settings.callWaitMs();
        if (!tryLock(guard.writeLock(), waitMs)) {
            throw new StoreException("could not take the map size a peer process set for " + dir
                    + ": other transactions did not finish within " + waitMs + " ms");
        }
        try {
            Env<ByteBuffer> open = current();
            open.setMapSize(0);
            LOG.info("Took the map size a peer process set for " + dir + ": " + open.info().mapSize / MIB + " MiB");
        } finally {
            guard.writeLock().unlock();
        }
    }

    private StoreException writeFailure(RuntimeException e) {
        if (e instanceof LmdbNativeException) {
            int code = ((LmdbNativeException) e).getResultCode();
            // ENOSPC, and on Windows ERROR_HANDLE_DISK_FULL / ERROR_DISK_FULL.
            if (WINDOWS ? code == 39 || code == 112 : code == 28) {
                return new StoreFullException("the disk holding the store at " + dir + " is full: free disk space", e);
            }
        }
        return new StoreException("writing to the store at " + dir + " failed: " + e, e);
    }

    private void failQueuedWrites() {
        List<PendingWrite<?>> unstarted = new ArrayList<>();
        queue.drainTo(unstarted);
        failAll(unstarted, new StoreClosedException("storage is closing"));
    }

    private static void failAll(List<PendingWrite<?>> batch, RuntimeException e) {
        batch.forEach(pending -> pending.abandon(e));
    }

    private long track(String what, int transactions) {
        long id = operationIds.incrementAndGet();
        running.put(id, new Operation(what, Thread.currentThread().getName(), System.nanoTime(), transactions));
        return id;
    }

    private int inFlightTransactions() {
        return running.values().stream().mapToInt(Operation::transactions).sum();
    }

    private String describeRunning() {
        long now = System.nanoTime();
        return running.values().stream()
                .map(op -> op.what() + " on thread '" + op.thread() + "' for "
                        + TimeUnit.NANOSECONDS.toMillis(now - op.startNanos()) + " ms")
                .collect(Collectors.joining("; "));
    }

    private static boolean tryLock(Lock lock, long waitMs) {
        try {
            return lock.tryLock(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A transaction in progress, named in the log when closing cannot drain it. */
    private record Operation(String what, String thread, long startNanos, int transactions) {
    }

    /** A caller's write work and its outcome; the caller is answered only after the group commit. */
    private static final class PendingWrite<T> {

        private final WriteWork<T> work;
        private final CompletableFuture<T> answer = new CompletableFuture<>();
        private T result;
        private Throwable error;

        PendingWrite(WriteWork<T> work) {
            this.work = work;
        }

        void run(WriteTxn txn) {
            error = null;
            result = work.run(txn);
        }

        void failed(Throwable e) {
            error = e;
        }

        boolean succeeded() {
            return error == null;
        }

        /** After the commit: the work's own result or exception. */
        void complete() {
            if (error == null) {
                answer.complete(result);
            } else {
                answer.completeExceptionally(error);
            }
        }

        /** Nothing of the work was committed. */
        void abandon(RuntimeException e) {
            answer.completeExceptionally(e);
        }

        T await() {
            try {
                return answer.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while waiting for a write to commit; it may still commit", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException) {
                    throw (RuntimeException) cause;
                }
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                throw new StoreException("write failed: " + cause, cause);
            }
        }
    }

    /** Receives the opener's outcome. */
    private final class OpenerListener implements StoreOpener.Listener {

        @Override
        public boolean opened(Env<ByteBuffer> opened, int attempts, long elapsedMs) {
            String readers;
            try {
                readers = "cleared " + opened.readerCheck() + " stale reader slots";
            } catch (LmdbException e) {
                readers = "could not check for stale reader slots (" + e + ")";
            }
            // Read before publishing: once env is visible, a close may free it under this thread.
            long mapSize = opened.info().mapSize;
            synchronized (stateLock) {
                if (closing) {
                    return false;
                }
                env = opened;
                Thread writer = new Thread(LmdbStore.this::writeLoop, "engram-store-writer");
                writer.setDaemon(true);
                writerThread = writer;
                writer.start();
            }
            retryReason = null;
            retryCause = null;
            settled.complete(null);
            Meta.Version version = Meta.version();
            LOG.info("Database opened at " + dir + " in " + elapsedMs + " ms" + (attempts > 1 ? " after " + attempts
                    + " attempts" : "") + " (LMDB " + version.major + "." + version.minor + "." + version.patch
                    + ", map size " + mapSize / MIB + " MiB); " + readers);
            return true;
        }

        @Override
        public void retrying(String reason, Throwable cause) {
            retryReason = reason;
            retryCause = cause;
        }

        @Override
        public void failed(String message, Throwable cause) {
            failure = message;
            failureCause = cause;
            settled.complete(null);
        }
    }
}
