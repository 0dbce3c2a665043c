package io.engram.api.store;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Operations on the store as a whole, registered by the storage bundle beside {@link Store}.
 * Each is safe while other processes use the store, or refuses with a clear error.
 */
@ProviderType
public interface StoreAdmin {

    /**
     * Writes a consistent, compacted copy of the store into {@code destination} (a folder that
     * does not exist or is empty) while writers go on, here and in other processes.
     */
    BackupResult backup(Path destination);

    /**
     * Checks that {@code source} holds a readable store (a backup), then replaces this store's
     * contents with it. Refuses with {@link StoreInUseException} while other processes have the
     * store open; the current contents stay untouched if anything fails.
     */
    RestoreResult restore(Path source);

    /**
     * Clears reader slots left by dead processes and, when {@code compact} is true, rewrites the
     * store without free pages (refused like {@link #restore} while other processes use it).
     */
    CleanupResult cleanup(boolean compact);

    /** @param path where the backup is; @param bytes its size; @param tookMs how long it took */
    record BackupResult(String path, long bytes, long tookMs) {
    }

    /** @param source what was restored; @param entries entries in the restored store; @param tookMs duration */
    record RestoreResult(String source, long entries, long tookMs) {
    }

    /**
     * @param staleReadersCleared reader slots of dead processes that were freed
     * @param compacted           whether the store was compacted
     * @param bytesBefore         database file size before
     * @param bytesAfter          database file size after
     */
    record CleanupResult(int staleReadersCleared, boolean compacted, long bytesBefore, long bytesAfter) {
    }
}
