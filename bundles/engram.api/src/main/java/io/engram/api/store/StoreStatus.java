package io.engram.api.store;

import java.util.Map;

/**
 * A snapshot of a store's state.
 *
 * @param path        the store's folder
 * @param state       whether it serves calls now
 * @param detail      why it is not open (the last open error), or null
 * @param mapSize     bytes of address space reserved for the database
 * @param usedBytes   bytes of that in use (last page number times page size)
 * @param entries     entry count per keyspace
 */
public record StoreStatus(String path, State state, String detail, long mapSize, long usedBytes,
        Map<String, Long> entries) {

    public enum State {
        /** Opening or retrying an open; calls wait a bounded time. */
        OPENING,
        /** Serving calls. */
        OPEN,
        /** Gave up opening (a fatal error) or closing/closed; calls fail at once. */
        UNAVAILABLE
    }
}
