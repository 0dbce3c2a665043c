package io.engram.storage;

import static io.engram.storage.Bytes.get;
import static io.engram.storage.Bytes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.engram.api.store.StoreClosedException;
import io.engram.api.store.StoreStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/** The DS component's own logic: path resolution, a non-blocking activate, live and reopening edits. */
class StoreComponentTest {

    @TempDir
    Path data;

    /** A BundleContext that only answers the framework properties the component reads; no config folder. */
    private BundleContext context() {
        return context(null);
    }

    /** As {@link #context()}, with FileInstall's config folder {@code configDir}. */
    private BundleContext context(Path configDir) {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getProperty") && "engram.data.dir".equals(args[0])) {
                        return data.toString();
                    }
                    if (method.getName().equals("getProperty") && "felix.fileinstall.dir".equals(args[0])) {
                        return configDir == null ? null : configDir.toString();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /**
     * The config DS would build from config/engram.storage.cfg: defaults overridden by {@code values};
     * as in DS, a text that is no number throws when its setting is read.
     */
    private static StoreComponent.Config config(Map<String, Object> values) {
        return (StoreComponent.Config) Proxy.newProxyInstance(StoreComponentTest.class.getClassLoader(),
                new Class<?>[] {StoreComponent.Config.class}, (proxy, method, args) -> {
                    Object value = values.getOrDefault(method.getName(), method.getDefaultValue());
                    if (value instanceof String text && method.getReturnType() == int.class) {
                        return Integer.parseInt(text);
                    }
                    return value;
                });
    }

    private static void activate(StoreComponent component, BundleContext context, Map<String, Object> values) {
        component.activate(context, config(values), values);
    }

    private static void modify(StoreComponent component, Map<String, Object> values) {
        component.modified(config(values), values);
    }

    @Test
    void activateReturnsAtOnceAndServesFromTheDataFolder() {
        StoreComponent component = new StoreComponent();
        activate(component, context(), Map.of());
        try {
            put(component, "k", "key", "value");
            assertEquals("value", get(component, "k", "key"));
            StoreStatus status = component.status();
            assertEquals(data.resolve("store").toString(), status.path());
            assertEquals(256L * 1024 * 1024, status.mapSize());
        } finally {
            component.deactivate();
        }
        assertThrows(StoreClosedException.class, () -> get(component, "k", "key"));
    }

    @Test
    void aConfigFileNotYetAppliedDelaysTheOpenSoThatTheStoreOpensOnlyWhereTheFileSays() throws Exception {
        Path configDir = Files.createDirectories(data.resolve("config"));
        Files.writeString(configDir.resolve("engram.storage.cfg"), "path = elsewhere\n");
        StoreComponent component = new StoreComponent();
        activate(component, context(configDir), Map.of());
        try {
            StoreStatus waiting = component.status();
            assertEquals(StoreStatus.State.OPENING, waiting.state());
            assertEquals("waiting for config/engram.storage.cfg to be applied", waiting.detail());
            Thread writer = new Thread(() -> put(component, "k", "key", "written early"));
            writer.start();
            while (writer.getState() != Thread.State.WAITING) {
                Thread.sleep(5); // until the write waits for the file
            }

            // what FileInstall hands over through Configuration Admin and DS
            modify(component, Map.of("path", "elsewhere", "service.pid", "engram.storage"));
            writer.join(TimeUnit.SECONDS.toMillis(30));
            assertEquals("written early", get(component, "k", "key"));
            assertEquals(data.resolve("elsewhere").toString(), component.status().path());
            assertFalse(Files.exists(data.resolve("store")), "the default folder was never opened");
        } finally {
            component.deactivate();
        }
    }

    @Test
    void stoppedBeforeItsConfigFileWasAppliedTheStoreNeverOpens() throws Exception {
        Path configDir = Files.createDirectories(data.resolve("config"));
        Files.writeString(configDir.resolve("engram.storage.cfg"), "path = elsewhere\n");
        StoreComponent component = new StoreComponent();
        activate(component, context(configDir), Map.of());
        component.deactivate();
        modify(component, Map.of("path", "elsewhere", "service.pid", "engram.storage"));

        assertThrows(StoreClosedException.class, () -> get(component, "k", "key"));
        assertFalse(Files.exists(data.resolve("store")));
        assertFalse(Files.exists(data.resolve("elsewhere")));
    }

    @Test
    void backupAndRestoreGoThroughTheComponent() {
        assumeTrue(java.nio.file.Files.isReadable(Path.of("/proc/locks")), "restore needs to know the other processes");
        StoreComponent component = new StoreComponent();
        activate(component, context(), Map.of("groupCommit", false));
        try {
            put(component, "k", "key", "backed up");
            assertEquals(data.resolve("backup").toString(), component.backup(data.resolve("backup")).path());
            put(component, "k", "key", "changed later");
            assertEquals(1, component.restore(data.resolve("backup")).entries());
            assertEquals("backed up", get(component, "k", "key"));
        } finally {
            component.deactivate();
        }
    }

    @Test
    void activateDoesNotWaitForAStoreLockedByAPeer() throws Exception {
        assumeTrue(OpenErrorClassifier.Os.current() != OpenErrorClassifier.Os.WINDOWS, "POSIX fcntl locks");
        try (LmdbStore earlier = new LmdbStore(StoreSettings.defaults(data.resolve("store")))) {
            earlier.start();
            assertTrue(earlier.awaitOpen(Duration.ofSeconds(10)));
        }
        Process peer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
                data.resolve("store").resolve("lock.mdb").toString(), "3000")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        StoreComponent component = new StoreComponent();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("locked", out.readLine());
            long started = System.nanoTime();
            activate(component, context(), Map.of());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 1000, "activate waited for the open");
            assertEquals(StoreStatus.State.OPENING, component.status().state());
        } finally {
            component.deactivate();
            peer.destroyForcibly();
            peer.waitFor();
        }
    }

    @Test
    void aBadValueAtActivationFallsBackToTheDefaultAndTheStoreServes() {
        StoreComponent component = new StoreComponent();
        try (CapturedLogs logs = new CapturedLogs("io.engram.api.config")) {
            activate(component, context(), Map.of("maxReaders", "abc", "service.pid", StoreComponent.PID,
                    "maxMapSizeBytes", 1024L));
            put(component, "k", "key", "value");
            assertEquals("value", get(component, "k", "key"));
            assertEquals(126, component.status().maxReaders());
            assertEquals(List.of("configuration engram.storage: maxReaders = \"abc\" is not a whole number; keeping 126",
                    "configuration engram.storage: initialMapSizeBytes = 268435456 and maxMapSizeBytes = 1024:"
                            + " maxMapSizeBytes must be at least initialMapSizeBytes; keeping initialMapSizeBytes ="
                            + " 268435456 and maxMapSizeBytes = 1099511627776"), logs.messages(Level.WARNING));
        } finally {
            component.deactivate();
        }
    }

    @Test
    void aLiveEditKeepsTheStoreAndANewPathReopensInPlace() {
        StoreComponent component = new StoreComponent();
        activate(component, context(), Map.of());
        try {
            put(component, "k", "key", "in default store");
            modify(component, Map.of("callWaitMs", 2000L, "drainTimeoutMs", 3000L));
            assertEquals("in default store", get(component, "k", "key"));

            modify(component, Map.of("path", "other"));
            assertEquals(data.resolve("other").toString(), component.status().path());
            assertNull(get(component, "k", "key"));
            put(component, "k", "key", "in other store");

            Path absolute = data.resolve("store").toAbsolutePath();
            modify(component, Map.of("path", absolute.toString()));
            assertEquals("in default store", get(component, "k", "key"));
        } finally {
            component.deactivate();
        }
    }
}
