package io.engram.testing;

import io.engram.storage.LmdbStore;
import io.engram.storage.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real LMDB store with the shipped settings in a fresh folder, open before each test (and before
 * the test class's own {@code @BeforeEach} methods) and closed and deleted after it. Register it
 * with {@code @RegisterExtension final TempStore temp = new TempStore();}.
 */
public final class TempStore implements BeforeEachCallback, AfterEachCallback {

    private Path dir;
    private LmdbStore store;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("engram-store");
        store = new LmdbStore(StoreSettings.defaults(dir));
        store.start();
        store.awaitOpen(Duration.ofSeconds(10));
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** The open store of the running test. */
    public LmdbStore store() {
        return store;
    }
}
