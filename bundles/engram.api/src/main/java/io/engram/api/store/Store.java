package io.engram.api.store;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable key-value storage in named keyspaces, shared safely by every process that opens
 * the same store. Registered as an OSGi service as soon as the storage bundle starts, even
 * while the underlying database is still opening: calls then wait a bounded time and fail
 * with {@link StoreUnavailableException} if it does not open.
 *
 * <p>Keyspace names match {@code [a-z0-9_.]{1,64}}; keys are 1 to 511 bytes and compare
 * as unsigned bytes; values are any bytes. A keyspace is created on first write.
 */
@ProviderType
public interface Store {

    /**
     * Runs {@code work} in a read transaction: a consistent snapshot, never blocked by
     * writers. Copy out what you need; the transaction ends when {@code work} returns.
     */
    <T> T read(ReadWork<T> work);

    /**
     * Runs {@code work} in a write transaction and returns once it is durably committed.
     * Work may be re-run (for example after the store grew), so it must have no effects
     * outside the transaction. An exception thrown by {@code work} rolls back its changes
     * and is rethrown.
     */
    <T> T write(WriteWork<T> work);

    /** A snapshot of the store's state, for status reporting. Never blocks. */
    StoreStatus status();

    @FunctionalInterface
    interface ReadWork<T> {
        T run(ReadTxn txn);
    }

    @FunctionalInterface
    interface WriteWork<T> {
        T run(WriteTxn txn);
    }
}
