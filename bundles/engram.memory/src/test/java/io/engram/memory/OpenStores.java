package io.engram.memory;

import io.engram.storage.LmdbStore;
import io.engram.storage.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;

/** The real LMDB store the memory tests run on, opened in {@code dir} with the default settings. */
final class OpenStores {

    private OpenStores() {
    }

    static LmdbStore open(Path dir) {
        LmdbStore store = new LmdbStore(StoreSettings.defaults(dir));
        store.start();
        store.awaitOpen(Duration.ofSeconds(10));
        return store;
    }
}
