package io.engram.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.engram.api.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.EnvInfo;
import org.lmdbjava.LmdbException;
import org.lmdbjava.LmdbNativeException;
import org.lmdbjava.Txn;

/**
 * Checks that a folder holds a readable store before it replaces the live one: opens it as an
 * environment of its own, read-only and without a lock file (nothing is written into it), and
 * walks every entry of every keyspace, so a damaged page shows up here rather than after the swap.
 */
final class BackupCheck {

    private BackupCheck() {
    }

    /**
     * The number of entries in all keyspaces of the store in {@code folder}.
     *
     * @param what how to name the store in errors, e.g. "the backup at /x"
     * @throws StoreException naming what is wrong when it is missing, truncated or damaged
     */
    static long entries(Path folder, String what, int maxKeyspaces) {
        Path file = folder.resolve("data.mdb");
        long fileBytes;
        try {
            fileBytes = Files.size(file);
        } catch (IOException e) {
            throw new StoreException(what + " holds no readable data.mdb (" + e + ")", e);
        }
        try (Env<byte[]> env = Env.create(ByteArrayProxy.PROXY_BA)
                .setMaxDbs(maxKeyspaces)
                .open(folder.toFile(), EnvFlags.MDB_RDONLY_ENV, EnvFlags.MDB_NOLOCK, EnvFlags.MDB_NOTLS)) {
            EnvInfo info = env.info();
            long needed = (info.lastPageNumber + 1) * env.stat().pageSize;
            // Pages past the end of the file would be read through the map and kill the JVM (SIGBUS).
            if (fileBytes < needed) {
                throw new StoreException(what + " is truncated: data.mdb has " + fileBytes + " bytes, its pages need "
                        + needed);
            }
            return countAll(env, what);
        } catch (LmdbNativeException e) {
            throw new StoreException(what + " is not a readable store: " + e.getMessage() + " (code "
                    + e.getResultCode() + ")", e);
        } catch (LmdbException e) {
            throw new StoreException(what + " is not a readable store: " + e.getMessage(), e);
        }
    }

    private static long countAll(Env<byte[]> env, String what) {
        long total = 0;
        try (Txn<byte[]> txn = env.txnRead()) {
            Dbi<byte[]> main = env.openDbi(txn, null, null, false);
            try (Cursor<byte[]> names = main.openCursor(txn)) {
                for (boolean more = names.first(); more; more = names.next()) {
                    String name = new String(names.key(), UTF_8);
                    Dbi<byte[]> keyspace = env.openDbi(txn, names.key(), null, false);
                    long walked = 0;
                    try (Cursor<byte[]> entries = keyspace.openCursor(txn)) {
                        for (boolean next = entries.first(); next; next = entries.next()) {
                            walked++;
                        }
                    }
                    long recorded = keyspace.stat(txn).entries;
                    if (walked != recorded) {
                        throw new StoreException(what + " is damaged: keyspace '" + name + "' records " + recorded
                                + " entries but " + walked + " were readable");
                    }
                    total += walked;
                }
            }
        }
        return total;
    }
}
