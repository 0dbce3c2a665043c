package io.engram.api.store;

import org.osgi.annotation.versioning.ProviderType;

/** A write transaction; sees its own writes. */
@ProviderType
public interface WriteTxn extends ReadTxn {

    /** Stores {@code value} under {@code key}, replacing any previous value. */
    void put(String keyspace, byte[] key, byte[] value);

    /** Removes {@code key}; returns whether it was present. */
    boolean delete(String keyspace, byte[] key);
}
