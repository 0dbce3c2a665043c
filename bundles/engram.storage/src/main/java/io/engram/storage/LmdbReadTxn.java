package io.engram.storage;

import io.engram.api.store.ReadTxn;
import java.util.Map;
import java.util.Objects;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/** A {@link ReadTxn} over one LMDB transaction; lmdbjava's byte[] proxy hands out copies. */
class LmdbReadTxn implements ReadTxn {

    /** LMDB's default (and this store's) largest key. */
    static final int MAX_KEY_BYTES = 511;

    final Txn<byte[]> txn;
    private final Map<String, Dbi<byte[]>> keyspaces;

    /** {@code keyspaces} must cover every keyspace that exists in {@code txn}'s snapshot. */
    LmdbReadTxn(Txn<byte[]> txn, Map<String, Dbi<byte[]>> keyspaces) {
        this.txn = txn;
        this.keyspaces = keyspaces;
    }

    /** The handle of {@code keyspace} in this transaction, or null when it does not exist here. */
    Dbi<byte[]> existing(String keyspace) {
        return keyspaces.get(keyspace);
    }

    @Override
    public byte[] get(String keyspace, byte[] key) {
        Keyspaces.checkName(keyspace);
        checkKey(key, "key");
        Dbi<byte[]> dbi = existing(keyspace);
        return dbi == null ? null : dbi.get(txn, key);
    }

    @Override
    public void scan(String keyspace, byte[] from, EntryVisitor visitor) {
        Keyspaces.checkName(keyspace);
        if (from != null) {
            checkKey(from, "from");
        }
        Objects.requireNonNull(visitor, "visitor");
        Dbi<byte[]> dbi = existing(keyspace);
        if (dbi == null) {
            return;
        }
        try (Cursor<byte[]> cursor = dbi.openCursor(txn)) {
            boolean more = from == null ? cursor.first() : cursor.get(from, GetOp.MDB_SET_RANGE);
            while (more && visitor.visit(cursor.key(), cursor.val())) {
                more = cursor.next();
            }
        }
    }

    @Override
    public void scanPrefix(String keyspace, byte[] prefix, EntryVisitor visitor) {
        Keyspaces.checkName(keyspace);
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("prefix must be at most " + MAX_KEY_BYTES + " bytes, got " + prefix.length);
        }
        Objects.requireNonNull(visitor, "visitor");
        Dbi<byte[]> dbi = existing(keyspace);
        if (dbi == null) {
            return;
        }
        try (Cursor<byte[]> cursor = dbi.openCursor(txn)) {
            boolean more = prefix.length == 0 ? cursor.first() : cursor.get(prefix, GetOp.MDB_SET_RANGE);
            while (more) {
                byte[] key = cursor.key();
                if (!startsWith(key, prefix) || !visitor.visit(key, cursor.val())) {
                    return;
                }
                more = cursor.next();
            }
        }
    }

    @Override
    public long count(String keyspace) {
        Keyspaces.checkName(keyspace);
        Dbi<byte[]> dbi = existing(keyspace);
        return dbi == null ? 0 : dbi.stat(txn).entries;
    }

    static void checkKey(byte[] key, String what) {
        if (key == null || key.length == 0 || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException(what + " must be 1 to " + MAX_KEY_BYTES + " bytes, got "
                    + (key == null ? "null" : key.length + " bytes"));
        }
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
