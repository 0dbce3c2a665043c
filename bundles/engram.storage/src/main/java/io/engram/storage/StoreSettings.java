package io.engram.storage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Every setting of an {@link LmdbStore}. Use {@link #defaults(Path)} and the {@code with...}
 * methods rather than the long constructor.
 *
 * <p>{@code maxReaders} and the map size must be the same in every process that opens the
 * store (LMDB's rule), so change them in the shared config, not per process.
 *
 * <p>The values are checked where an admin's file is read ({@link StoreComponent#SETTINGS}); code
 * that builds settings itself passes sensible ones.
 *
 * @param dir                   the store's folder (created when missing)
 * @param initialMapSizeBytes   address space reserved at open; grows by doubling when full
 * @param maxMapSizeBytes       the map never grows beyond this; writes then fail as "full"
 * @param maxReaders            reader slots in the lock file (concurrent read transactions)
 * @param maxKeyspaces          named databases the store can hold
 * @param openAttempts          open attempts within {@code openDeadlineMs} before retrying in the background
 * @param openFirstDelayMs      delay after the first failed attempt
 * @param openBackoff           factor by which each further delay grows
 * @param openMaxDelayMs        ceiling of a delay, and the background retry interval
 * @param openDeadlineMs        time budget of the logged attempts
 * @param callWaitMs            how long a call waits for a store that is still opening
 * @param drainTimeoutMs        how long closing waits for running transactions
 * @param openAttemptTimeoutMs  how long one open may take before it counts as blocked by a
 *                              peer's lock (on Linux a conflicting lock makes open block)
 * @param groupCommit           whether concurrent writes share one durable commit; false commits each
 *                              write on its own (for side-by-side measurements)
 */
public record StoreSettings(Path dir, long initialMapSizeBytes, long maxMapSizeBytes, int maxReaders,
        int maxKeyspaces, int openAttempts, long openFirstDelayMs, double openBackoff, long openMaxDelayMs,
        long openDeadlineMs, long callWaitMs, long drainTimeoutMs, long openAttemptTimeoutMs, boolean groupCommit) {

    private static final long MIB = 1024L * 1024L;

    public StoreSettings {
        Objects.requireNonNull(dir, "dir");
    }

    /** The defaults: 256 MiB initial map, 1 TiB maximum, 10 open attempts within 5.5 s. */
    public static StoreSettings defaults(Path dir) {
        return new StoreSettings(dir, 256 * MIB, 1024L * 1024 * MIB, 126, 128,
                10, 100, 1.5, 1000, 5500, 5000, 1000, 1000, true);
    }

    public StoreSettings withDir(Path newDir) {
        return new StoreSettings(newDir, initialMapSizeBytes, maxMapSizeBytes, maxReaders, maxKeyspaces,
                openAttempts, openFirstDelayMs, openBackoff, openMaxDelayMs, openDeadlineMs, callWaitMs,
                drainTimeoutMs, openAttemptTimeoutMs, groupCommit);
    }

    public StoreSettings withMapSize(long initialBytes, long maxBytes) {
        return new StoreSettings(dir, initialBytes, maxBytes, maxReaders, maxKeyspaces,
                openAttempts, openFirstDelayMs, openBackoff, openMaxDelayMs, openDeadlineMs, callWaitMs,
                drainTimeoutMs, openAttemptTimeoutMs, groupCommit);
    }

    public StoreSettings withOpenRetry(int attempts, long firstDelayMs, double backoff, long maxDelayMs,
            long deadlineMs, long attemptTimeoutMs) {
        return new StoreSettings(dir, initialMapSizeBytes, maxMapSizeBytes, maxReaders, maxKeyspaces,
                attempts, firstDelayMs, backoff, maxDelayMs, deadlineMs, callWaitMs,
                drainTimeoutMs, attemptTimeoutMs, groupCommit);
    }

    public StoreSettings withCallWaitMs(long newCallWaitMs) {
        return new StoreSettings(dir, initialMapSizeBytes, maxMapSizeBytes, maxReaders, maxKeyspaces,
                openAttempts, openFirstDelayMs, openBackoff, openMaxDelayMs, openDeadlineMs, newCallWaitMs,
                drainTimeoutMs, openAttemptTimeoutMs, groupCommit);
    }

    public StoreSettings withDrainTimeoutMs(long newDrainTimeoutMs) {
        return new StoreSettings(dir, initialMapSizeBytes, maxMapSizeBytes, maxReaders, maxKeyspaces,
                openAttempts, openFirstDelayMs, openBackoff, openMaxDelayMs, openDeadlineMs, callWaitMs,
                newDrainTimeoutMs, openAttemptTimeoutMs, groupCommit);
    }

    public StoreSettings withGroupCommit(boolean newGroupCommit) {
        return new StoreSettings(dir, initialMapSizeBytes, maxMapSizeBytes, maxReaders, maxKeyspaces,
                openAttempts, openFirstDelayMs, openBackoff, openMaxDelayMs, openDeadlineMs, callWaitMs,
                drainTimeoutMs, openAttemptTimeoutMs, newGroupCommit);
    }

    /**
     * Whether a store opened with these settings can take {@code other} without reopening:
     * the folder and the limits fixed at open (reader slots, keyspace count) are unchanged.
     */
    public boolean canApplyLive(StoreSettings other) {
        return dir.equals(other.dir) && maxReaders == other.maxReaders && maxKeyspaces == other.maxKeyspaces;
    }
}
