package io.engram.storage;

import io.engram.api.store.WriteTxn;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.LmdbNativeException;
import org.lmdbjava.Txn;

/**
 * A {@link WriteTxn} over one nested (child) transaction of a group commit. Keyspaces unknown
 * to the batch are opened, or created by a write, inside this child; the handles count only
 * once the child and then the batch commit.
 */
final class LmdbWriteTxn extends LmdbReadTxn implements WriteTxn {

    private final Env<ByteBuffer> env;
    private final Map<String, Dbi<ByteBuffer>> known;
    private final boolean complete;
    private final Map<String, Dbi<ByteBuffer>> opened = new HashMap<>();
    private RuntimeException batchFailure;

    /**
     * {@code known}: handles usable in {@code child} (the batch's snapshot plus what earlier children opened);
     * {@code complete}: every keyspace that exists in {@code child} is in {@code known} or opened by this child.
     */
    LmdbWriteTxn(Env<ByteBuffer> env, Txn<ByteBuffer> child, Map<String, Dbi<ByteBuffer>> known, boolean complete) {
        super(child, known);
        this.env = env;
        this.known = known;
        this.complete = complete;
    }

    @Override
    Dbi<ByteBuffer> existing(String keyspace) {
        return handle(keyspace, false);
    }

    @Override
    public void put(String keyspace, byte[] key, byte[] value) {
        Keyspaces.checkName(keyspace);
        checkKey(key, "key");
        Objects.requireNonNull(value, "value");
        Dbi<ByteBuffer> dbi = handle(keyspace, true);
        try {
            // Written straight into the space LMDB reserves for it: no native copy of the value first.
            dbi.reserve(txn, LmdbBuffers.key(key), value.length).put(value);
        } catch (LmdbNativeException e) {
            throw remember(e);
        }
    }

    @Override
    public boolean delete(String keyspace, byte[] key) {
        Keyspaces.checkName(keyspace);
        checkKey(key, "key");
        Dbi<ByteBuffer> dbi = existing(keyspace);
        try {
            return dbi != null && dbi.delete(txn, LmdbBuffers.key(key));
        } catch (LmdbNativeException e) {
            throw remember(e);
        }
    }

    /** Handles this child opened; valid for later children once it committed. */
    Map<String, Dbi<ByteBuffer>> opened() {
        return opened;
    }

    /**
     * A failure that dooms the whole batch (map full, map resized) even if the work caught it,
     * or null. LMDB marks the transaction as failed either way.
     */
    RuntimeException batchFailure() {
        return batchFailure;
    }

    private Dbi<ByteBuffer> handle(String keyspace, boolean create) {
        Dbi<ByteBuffer> dbi = known.get(keyspace);
        if (dbi == null) {
            dbi = opened.get(keyspace);
        }
        if (dbi == null && (create || !complete)) {
            try {
                dbi = Keyspaces.open(env, txn, keyspace, create);
            } catch (LmdbNativeException e) {
                throw remember(e);
            }
            if (dbi != null) {
                opened.put(keyspace, dbi);
            }
        }
        return dbi;
    }

    private RuntimeException remember(LmdbNativeException e) {
        if (e instanceof Env.MapFullException || e instanceof Dbi.MapResizedException) {
            batchFailure = e;
        }
        return e;
    }
}
