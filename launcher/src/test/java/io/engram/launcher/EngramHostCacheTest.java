package io.engram.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** The real Felix framework with the real bundles, started in this JVM on one data folder. */
class EngramHostCacheTest {

    @TempDir
    Path data;

    private final List<EngramHost> running = new ArrayList<>();
    private final List<Pipe> stdins = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        running.forEach(host -> host.stop(Duration.ofSeconds(5)));
        for (Pipe stdin : stdins) {
            stdin.sink().close();
            stdin.source().close();
        }
    }

    /** A host whose stdin stays open, so it runs until stop(); nothing reads its protocol output. */
    private EngramHost start() throws Exception {
        Pipe stdin = Pipe.open();
        stdins.add(stdin);
        EngramHost host = EngramHost.start(data, data.resolve("config"), Channels.newInputStream(stdin.source()),
                new ByteArrayOutputStream());
        running.add(host);
        awaitStore(host);
        return host;
    }

    /** Lets storage finish opening LMDB, as in a real run, before a test stops the host. */
    private static void awaitStore(EngramHost host) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!"OPEN".equals(storeState(host))) {
            assertTrue(System.nanoTime() < deadline, "storage opened");
            Thread.sleep(10);
        }
    }

    /** Store.status().state() by reflection: this class path does not hold the API bundle. */
    private static String storeState(EngramHost host) throws Exception {
        BundleContext system = host.framework().getBundleContext();
        ServiceReference<?>[] stores = system.getAllServiceReferences("io.engram.api.store.Store", null);
        if (stores == null) {
            return null;
        }
        Object store = system.getService(stores[0]);
        try {
            Class<?> api = stores[0].getBundle().loadClass("io.engram.api.store.Store");
            Object status = api.getMethod("status").invoke(store);
            return String.valueOf(status.getClass().getMethod("state").invoke(status));
        } finally {
            system.ungetService(stores[0]);
        }
    }

    private void stop(EngramHost host) {
        assertTrue(host.stop(Duration.ofSeconds(5)));
        running.remove(host);
    }

    private Path slot() {
        return data.resolve(RuntimeFolder.SLOTS_FOLDER).resolve("slot-0");
    }

    /** Location to last-modified time, in bundle id order: a reinstall changes the time. */
    private static Map<String, Long> installed(EngramHost host) {
        Map<String, Long> bundles = new LinkedHashMap<>();
        for (Bundle bundle : host.framework().getBundleContext().getBundles()) {
            if (bundle.getBundleId() != 0) {
                bundles.put(bundle.getLocation(), bundle.getLastModified());
            }
        }
        return bundles;
    }

    /** The locations config/bundles.list asks for, in its order. */
    private List<String> listed() throws Exception {
        List<String> locations = new ArrayList<>();
        for (String name : BundleList.read(data.resolve("config"))) {
            locations.add(EngramHost.LOCATION_PREFIX + name);
        }
        return locations;
    }

    private static Bundle bundle(EngramHost host, String symbolicName) {
        for (Bundle bundle : host.framework().getBundleContext().getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }

    private static void assertAllActive(EngramHost host) {
        for (Bundle bundle : host.framework().getBundleContext().getBundles()) {
            assertEquals(Bundle.ACTIVE, bundle.getState(), bundle.getSymbolicName() + " active");
        }
    }

    @Test
    void theNextStartReusesTheInstalledBundlesAndStartsThemAllInListOrder() throws Exception {
        EngramHost first = start();
        assertNotNull(CacheStamp.read(slot()), "stamped once the framework started");
        Map<String, Long> built = installed(first);
        assertEquals(listed(), new ArrayList<>(built.keySet()), "bundle id order is bundles.list order");
        // An earlier run may stop a bundle persistently; config still decides what runs.
        bundle(first, "engram.memory").stop();
        stop(first);

        EngramHost second = start();
        assertEquals(built, installed(second), "same bundles, same ids, not installed again");
        assertAllActive(second);
    }

    @Test
    void aMissingStampMeansTheSlotIsRebuiltAndStampedAgain() throws Exception {
        EngramHost first = start();
        Map<String, Long> built = installed(first);
        stop(first);
        // What a process killed while rebuilding leaves behind.
        CacheStamp.delete(slot());

        EngramHost second = start();
        Map<String, Long> rebuilt = installed(second);
        assertEquals(built.keySet(), rebuilt.keySet());
        assertNotEquals(built, rebuilt, "installed afresh");
        assertAllActive(second);
        assertNotNull(CacheStamp.read(slot()));
    }

    @Test
    void aChangedBundleListMeansTheSlotIsRebuilt() throws Exception {
        stop(start());
        Path list = data.resolve("config").resolve(BundleList.FILE_NAME);
        Files.writeString(list, Files.readString(list).replace("\nengram.memory", "\n# engram.memory"));

        EngramHost second = start();
        assertNull(bundle(second, "engram.memory"), "left out of the list, so not installed");
        assertEquals(listed(), new ArrayList<>(installed(second).keySet()));
        assertFalse(CacheStamp.read(slot()).contains("engram.memory"));
    }

    @Test
    void aBundleInstalledFromElsewhereStaysAndDoesNotMakeTheNextStartRebuild() throws Exception {
        EngramHost first = start();
        // As FileInstall installs a plugin from the deploy folder: its own location, started persistently.
        first.framework().getBundleContext().installBundle("test:extra", tinyBundle("test.extra")).start();
        Map<String, Long> built = installed(first);
        stop(first);

        EngramHost second = start();
        assertEquals(built, installed(second), "reused: nothing installed again, the extra bundle kept");
        assertEquals(Bundle.ACTIVE, bundle(second, "test.extra").getState(), "left to its installer, still started");
        assertAllActive(second);
    }

    @Test
    void aBundleWhoseJarWasDeletedWhileDownIsUninstalledWithoutRebuilding() throws Exception {
        EngramHost first = start();
        Path jar = data.resolve(EngramHost.DEPLOY_FOLDER).resolve("extra.jar");
        try (InputStream bundle = tinyBundle("test.extra")) {
            Files.copy(bundle, jar);
        }
        // FileInstall installs a deployed jar from its file: location.
        first.framework().getBundleContext().installBundle(jar.toUri().toString()).start();
        Map<String, Long> built = installed(first);
        stop(first);
        Files.delete(jar);

        EngramHost second = start();
        assertNull(bundle(second, "test.extra"), "gone with its jar");
        built.remove(jar.toUri().toString());
        assertEquals(built, installed(second), "the launcher's bundles reused, not installed again");
        assertAllActive(second);
    }

    @Test
    void withEverySlotTakenTheHostRunsOnAPrivateCacheRemovedAtStop() throws Exception {
        List<RuntimeFolder> taken = new ArrayList<>();
        for (int i = 0; i < RuntimeFolder.SLOT_COUNT; i++) {
            taken.add(RuntimeFolder.acquire(data));
        }
        try {
            EngramHost host = start();
            assertAllActive(host);
            Path own = data.resolve(RuntimeFolder.RUN_FOLDER).resolve("engram-run-" + ProcessHandle.current().pid());
            assertTrue(Files.isDirectory(own.resolve("felix-cache")));
            stop(host);
            assertFalse(Files.exists(own));
            assertNull(CacheStamp.read(slot()), "no slot was touched");
        } finally {
            taken.forEach(RuntimeFolder::release);
        }
    }

    private static InputStream tinyBundle(String symbolicName) throws Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        new JarOutputStream(jar, manifest).close();
        return new ByteArrayInputStream(jar.toByteArray());
    }
}
