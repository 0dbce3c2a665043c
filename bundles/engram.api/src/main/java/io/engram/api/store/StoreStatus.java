package io.engram.api.store;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a store's state.
 *
 * @param path         the store's folder
 * @param state        whether it serves calls now
 * @param detail       why it is not open (the last open error), or null
 * @param mapSize      bytes of address space reserved for the database
 * @param usedBytes    bytes of that in use (last page number times page size)
 * @param diskBytes    size of the database file on disk
 * @param readersUsed  reader slots in use, by all processes (LMDB's high-water mark)
 * @param maxReaders   reader slots available
 * @param processIds   processes that have the store open (this one included); empty when the
 *                     platform cannot tell
 * @param commits      durable commits by this process since the store opened
 * @param entries      entry count per keyspace
 */
public record StoreStatus(String path, State state, String detail, long mapSize, long usedBytes, long diskBytes,
        int readersUsed, int maxReaders, List<Long> processIds, long commits, Map<String, Long> entries) {

    public enum State {
        /** Opening or retrying an open; calls wait a bounded time. */
        OPENING,
        /** Serving calls. */
        OPEN,
        /** Gave up opening (a fatal error) or closing/closed; calls fail at once. */
        UNAVAILABLE
    }

    /** A status with only the state known: not open, or busy. */
    public static StoreStatus of(String path, State state, String detail) {
        return new StoreStatus(path, state, detail, 0, 0, 0, 0, 0, List.of(), 0, Map.of());
    }
}
