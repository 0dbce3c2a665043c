package io.engram.api.store;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/** A read transaction: a consistent snapshot of all keyspaces. */
@ProviderType
public interface ReadTxn {

    /** The value stored under {@code key}, or null. Returns a copy. */
    byte[] get(String keyspace, byte[] key);

    /**
     * Visits entries in key order starting at the first key {@code >= from} (the first
     * key when {@code from} is null) until the visitor returns false or the keyspace ends.
     */
    void scan(String keyspace, byte[] from, EntryVisitor visitor);

    /** Visits, in key order, the entries whose key starts with {@code prefix}. */
    void scanPrefix(String keyspace, byte[] prefix, EntryVisitor visitor);

    /**
     * Like {@link #scanPrefix}, without copies: the visitor sees read-only views of each key and value
     * where the store holds them, valid only until it returns (it copies what it keeps) and never across
     * a write in the same transaction. For scans that read many entries to keep a few, such as scoring
     * every stored vector of a list.
     *
     * @since 1.3
     */
    void scanPrefixInPlace(String keyspace, byte[] prefix, InPlaceVisitor visitor);

    /** The number of entries in a keyspace (0 when it does not exist). */
    long count(String keyspace);

    @FunctionalInterface
    interface EntryVisitor {
        /** Receives copies of key and value; returns false to stop. */
        boolean visit(byte[] key, byte[] value);
    }

    @FunctionalInterface
    interface InPlaceVisitor {
        /**
         * Receives read-only views of key and value (position 0, limit the length), valid only until this
         * call returns; returns false to stop.
         */
        boolean visit(ByteBuffer key, ByteBuffer value);
    }
}
