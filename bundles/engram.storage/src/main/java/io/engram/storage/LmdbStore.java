package io.engram.storage;

import io.engram.api.store.Store;
import io.engram.api.store.StoreClosedException;
import io.engram.api.store.StoreException;
import io.engram.api.store.StoreFullException;
import io.engram.api.store.StoreStatus;
import io.engram.api.store.StoreUnavailableException;
import io.engram.api.store.WriteTxn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 *     commits the parent durably once, then answers every caller.</li>
 * </ul>
 */
public final class LmdbStore implements Store, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LmdbStore.class.getName());

    /** Upper bound of works per group commit, so that a rerun after growing the map stays small. */
    private static final int MAX_BATCH = 256;

    private static final long MIB = 1024L * 1024L;

    private static final boolean WINDOWS = OpenErrorClassifier.Os.current() == OpenErrorClassifier.Os.WINDOWS;

    private final Path dir;
    private volatile StoreSettings settings;
    private final StoreOpener opener;

    private final Object stateLock = new Object();
    private boolean started;
    private volatile boolean closing;
    private volatile boolean closed;
    private volatile Env<byte[]> env;
    private volatile Thread writerThread;
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
                checkNotClosing();
                Env<byte[]> open = env;
                Map<String, Dbi<byte[]>> snapshot = keyspaces.snapshot();
                try (Txn<byte[]> txn = open.txnRead()) {
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
        Env<byte[]> open = env;
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
            checkNotClosing();
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
            Map<String, Dbi<byte[]>> snapshot = keyspaces.snapshot();
            try (Txn<byte[]> txn = open.txnRead()) {
                snapshot.forEach((name, dbi) -> {
                    if (dbi != null) {
                        entries.put(name, dbi.stat(txn).entries);
                    }
                });
            }
            return new StoreStatus(path, StoreStatus.State.OPEN, null, info.mapSize, usedBytes, diskBytes(),
                    info.numReaders, info.maxReaders, List.of(), commitCount(), entries);
        } catch (LmdbException | StoreClosedException e) {
            return StoreStatus.of(path, closing ? StoreStatus.State.UNAVAILABLE : StoreStatus.State.OPEN,
                    e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** Size of data.mdb; a stat, never an open (closing a descriptor would drop LMDB's locks). */
    private long diskBytes() {
        try {
            return java.nio.file.Files.size(settings.dir().resolve("data.mdb"));
        } catch (java.io.IOException e) {
            return 0;
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
        Env<byte[]> open;
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
            try {
                open.sync(true);
            } catch (LmdbException e) {
                LOG.log(Level.WARNING, "Final sync of " + dir + " failed", e);
            }
            open.close();
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

    private void writeLoop() {
        List<PendingWrite<?>> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
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
        Env<byte[]> open = env;
        ReentrantLock handleLock = keyspaces.handleLock();
        // Held until the parent ended: keyspaces opened in it must not race other opens (see Keyspaces).
        handleLock.lock();
        try {
            Map<String, Dbi<byte[]>> known = new HashMap<>(keyspaces.snapshot());
            Map<String, Dbi<byte[]>> openedInBatch = new HashMap<>();
            try (Txn<byte[]> parent = open.txnWrite()) {
                for (PendingWrite<?> pending : batch) {
                    runInChild(open, parent, known, openedInBatch, pending);
                }
                parent.commit();
            }
            commits.incrementAndGet();
            keyspaces.publish(openedInBatch);
        } finally {
            handleLock.unlock();
        }
    }

    private static void runInChild(Env<byte[]> open, Txn<byte[]> parent, Map<String, Dbi<byte[]>> known,
            Map<String, Dbi<byte[]>> openedInBatch, PendingWrite<?> pending) {
        try (Txn<byte[]> child = open.txn(parent)) {
            LmdbWriteTxn txn = new LmdbWriteTxn(open, child, known);
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
            checkNotClosing();
            long current = env.info().mapSize;
            long max = settings.maxMapSizeBytes();
            if (current >= max) {
                throw new StoreFullException("the store at " + dir + " reached its maximum size of " + max / MIB
                        + " MiB (maxMapSizeBytes): raise maxMapSizeBytes in config/engram.storage.cfg or delete data",
                        cause);
            }
            long next = current > max / 2 ? max : current * 2;
            try {
                env.setMapSize(next);
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
            checkNotClosing();
            env.setMapSize(0);
            LOG.info("Took the map size a peer process set for " + dir + ": " + env.info().mapSize / MIB + " MiB");
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
        public boolean opened(Env<byte[]> opened, int attempts, long elapsedMs) {
            String readers;
            try {
                readers = "cleared " + opened.readerCheck() + " stale reader slots";
            } catch (LmdbException e) {
                readers = "could not check for stale reader slots (" + e + ")";
            }
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
                    + ", map size " + opened.info().mapSize / MIB + " MiB); " + readers);
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
