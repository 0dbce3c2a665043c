package io.engram.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.engram.api.store.StoreException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.LmdbNativeException;
import org.lmdbjava.Txn;

/**
 * The open LMDB named databases ("keyspaces") of one environment.
 *
 * <p>LMDB rules shape this class. A handle opened in a transaction becomes usable only in
 * transactions that begin after that one ends, and {@code mdb_dbi_open} must not run in two
 * transactions of a process at once. So: {@link #handleLock} serialises every open (the
 * writer holds it for a whole batch, since it may create keyspaces in it); readers take a
 * snapshot of the handles before they begin and, if the environment holds more keyspaces than
 * the snapshot knows (a peer process created one), open the missing ones in a short
 * transaction of their own and begin again. A keyspace missing from a snapshot that covers
 * the environment does not exist in that transaction.
 */
final class Keyspaces {

    /**
     * Every name in the main database with its handle, null for an entry that is not a named
     * database (counted so that {@link #covers} stays exact). Replaced, never changed.
     */
    private volatile Map<String, Dbi<ByteBuffer>> handles = Map.of();
    private final ReentrantLock handleLock = new ReentrantLock();

    /** Runs on every get, put and scan, so a plain loop: a regex took 15% of the writer in a burst of memory_add. */
    static void checkName(String keyspace) {
        if (!isName(keyspace)) {
            throw new IllegalArgumentException("keyspace name must match [a-z0-9_.]{1,64}, got "
                    + (keyspace == null ? "null" : "'" + keyspace + "'"));
        }
    }

    /** Whether {@code keyspace} is 1 to 64 characters of {@code [a-z0-9_.]}. */
    private static boolean isName(String keyspace) {
        if (keyspace == null || keyspace.isEmpty() || keyspace.length() > 64) {
            return false;
        }
        for (int i = 0; i < keyspace.length(); i++) {
            char c = keyspace.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** The handles known now; every one is usable in a transaction that begins after this call. */
    Map<String, Dbi<ByteBuffer>> snapshot() {
        return handles;
    }

    /** Whether {@code snapshot} knows every keyspace the environment holds at or after this call. */
    static boolean covers(Env<ByteBuffer> env, Map<String, Dbi<ByteBuffer>> snapshot) {
        return env.stat().entries == snapshot.size();
    }

    /** Opens the handles of keyspaces created since the last refresh (by a peer process). */
    void refresh(Env<ByteBuffer> env) {
        handleLock.lock();
        try {
            if (covers(env, handles)) {
                return;
            }
            Map<String, Dbi<ByteBuffer>> next = new HashMap<>(handles);
            try (Txn<ByteBuffer> txn = env.txnRead()) {
                Dbi<ByteBuffer> main = env.openDbi(txn, null, null, false);
                try (Cursor<ByteBuffer> cursor = main.openCursor(txn)) {
                    for (boolean more = cursor.first(); more; more = cursor.next()) {
                        byte[] name = LmdbBuffers.copy(cursor.key());
                        String text = new String(name, UTF_8);
                        if (!next.containsKey(text)) {
                            next.put(text, openExisting(env, txn, name));
                        }
                    }
                }
                // A read-only commit keeps the handles opened in it; an abort would close them.
                txn.commit();
            }
            handles = Collections.unmodifiableMap(next);
        } finally {
            handleLock.unlock();
        }
    }

    /** Held by the writer from before its transaction begins until after it ended and {@link #publish}ed. */
    ReentrantLock handleLock() {
        return handleLock;
    }

    /**
     * Opens {@code name} in {@code txn}; null when it does not exist and {@code create} is false.
     * The caller must hold {@link #handleLock()} until {@code txn} (and its parents) ended.
     */
    static Dbi<ByteBuffer> open(Env<ByteBuffer> env, Txn<ByteBuffer> txn, String name, boolean create) {
        byte[] bytes = name.getBytes(UTF_8);
        try {
            return env.openDbi(txn, bytes, null, false);
        } catch (LmdbNativeException e) {
            if (e.getResultCode() != OpenErrorClassifier.MDB_NOTFOUND) {
                throw e;
            }
        }
        if (!create) {
            return null;
        }
        try {
            return env.openDbi(txn, bytes, null, false, DbiFlags.MDB_CREATE);
        } catch (Dbi.DbFullException e) {
            throw new StoreException("cannot create keyspace '" + name + "': the store holds its maximum number of"
                    + " keyspaces (maxKeyspaces in config/engram.storage.cfg)", e);
        }
    }

    /** Adds handles opened by a committed write transaction. Call while holding {@link #handleLock()}. */
    void publish(Map<String, Dbi<ByteBuffer>> opened) {
        if (!opened.isEmpty()) {
            Map<String, Dbi<ByteBuffer>> next = new HashMap<>(handles);
            next.putAll(opened);
            handles = Collections.unmodifiableMap(next);
        }
    }

    /** Drops every handle: the environment they belonged to was closed (a restore or compaction reopens it). */
    void forget() {
        handles = Map.of();
    }

    private static Dbi<ByteBuffer> openExisting(Env<ByteBuffer> env, Txn<ByteBuffer> txn, byte[] name) {
        try {
            return env.openDbi(txn, name, null, false);
        } catch (LmdbNativeException e) {
            // Not a named database (a plain key in the main database): count it, never use it.
            return null;
        }
    }
}
