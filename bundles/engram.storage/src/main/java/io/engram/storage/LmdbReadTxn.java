package io.engram.storage;

import io.engram.api.store.ReadTxn;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/** A {@link ReadTxn} over one LMDB transaction ({@link LmdbBuffers}: copies out, except in place). */
class LmdbReadTxn implements ReadTxn {

    /** LMDB's default (and this store's) largest key. */
    static final int MAX_KEY_BYTES = 511;

    final Txn<ByteBuffer> txn;
    private final Map<String, Dbi<ByteBuffer>> keyspaces;

    /** {@code keyspaces} must cover every keyspace that exists in {@code txn}'s snapshot. */
    LmdbReadTxn(Txn<ByteBuffer> txn, Map<String, Dbi<ByteBuffer>> keyspaces) {
        this.txn = txn;
        this.keyspaces = keyspaces;
    }

    /** The handle of {@code keyspace} in this transaction, or null when it does not exist here. */
    Dbi<ByteBuffer> existing(String keyspace) {
        return keyspaces.get(keyspace);
    }

    @Override
    public byte[] get(String keyspace, byte[] key) {
        Keyspaces.checkName(keyspace);
        checkKey(key, "key");
        Dbi<ByteBuffer> dbi = existing(keyspace);
        if (dbi == null) {
            return null;
        }
        ByteBuffer value = dbi.get(txn, LmdbBuffers.key(key));
        return value == null ? null : LmdbBuffers.copy(value);
    }

    @Override
    public void scan(String keyspace, byte[] from, EntryVisitor visitor) {
        Keyspaces.checkName(keyspace);
        if (from != null) {
            checkKey(from, "from");
        }
        Objects.requireNonNull(visitor, "visitor");
        Dbi<ByteBuffer> dbi = existing(keyspace);
        if (dbi == null) {
            return;
        }
        try (Cursor<ByteBuffer> cursor = dbi.openCursor(txn)) {
            boolean more = from == null ? cursor.first() : cursor.get(LmdbBuffers.key(from), GetOp.MDB_SET_RANGE);
            while (more && visitor.visit(LmdbBuffers.copy(cursor.key()), LmdbBuffers.copy(cursor.val()))) {
                more = cursor.next();
            }
        }
    }

    @Override
    public void scanPrefix(String keyspace, byte[] prefix, EntryVisitor visitor) {
        Objects.requireNonNull(visitor, "visitor");
        scanPrefixInPlace(keyspace, prefix,
                (key, value) -> visitor.visit(LmdbBuffers.copy(key), LmdbBuffers.copy(value)));
    }

    @Override
    public void scanPrefixInPlace(String keyspace, byte[] prefix, InPlaceVisitor visitor) {
        Keyspaces.checkName(keyspace);
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("prefix must be at most " + MAX_KEY_BYTES + " bytes, got " + prefix.length);
        }
        Objects.requireNonNull(visitor, "visitor");
        Dbi<ByteBuffer> dbi = existing(keyspace);
        if (dbi == null) {
            return;
        }
        try (Cursor<ByteBuffer> cursor = dbi.openCursor(txn)) {
            boolean more = prefix.length == 0 ? cursor.first()
                    : cursor.get(LmdbBuffers.key(prefix), GetOp.MDB_SET_RANGE);
            while (more) {
                ByteBuffer key = cursor.key();
                // Read-only views: the cursor's own buffers point into LMDB's map, which must never be written.
                if (!LmdbBuffers.startsWith(key, prefix)
                        || !visitor.visit(key.asReadOnlyBuffer(), cursor.val().asReadOnlyBuffer())) {
                    return;
                }
                more = cursor.next();
            }
        }
    }

    @Override
    public long count(String keyspace) {
        Keyspaces.checkName(keyspace);
        Dbi<ByteBuffer> dbi = existing(keyspace);
        return dbi == null ? 0 : dbi.stat(txn).entries;
    }

    static void checkKey(byte[] key, String what) {
        if (key == null || key.length == 0 || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException(what + " must be 1 to " + MAX_KEY_BYTES + " bytes, got "
                    + (key == null ? "null" : key.length + " bytes"));
        }
    }
}
