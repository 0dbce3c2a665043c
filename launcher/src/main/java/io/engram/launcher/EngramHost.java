package io.engram.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The OSGi host: an embedded Felix framework with the bundles that config/bundles.list
 * names, started in that order. The framework cache lives in a {@link RuntimeFolder}; a cache
 * slot that already holds exactly these bundles (its {@link CacheStamp} says so) is reused
 * instead of installing them again. Bundles installed by others (FileInstall, from the deploy
 * folder) are not stamped: they stay in a reused cache and their installer reconciles them.
 * The process's real stdin and stdout are handed to the stdio transport as services
 * ({@code java.io.InputStream} / {@code java.io.OutputStream} with {@code engram.stdio=in|out});
 * nothing else in the framework can reach them.
 */
public final class EngramHost {

    private static final Logger LOG = Logger.getLogger(EngramHost.class.getName());

    /** Framework property: absolute path of the data folder. */
    public static final String DATA_DIR_PROPERTY = "engram.data.dir";
    /** Framework property: absolute path of the config folder. */
    public static final String CONFIG_DIR_PROPERTY = "engram.config.dir";
    /** The default deploy folder inside the data folder, watched by config/org.apache.felix.fileinstall-deploy.cfg. */
    static final String DEPLOY_FOLDER = "deploy";
    /** Service property that marks the stdio streams. */
    public static final String STDIO_PROPERTY = "engram.stdio";

    /** Location of a bundle config lists: this prefix, then its bundles.list entry. */
    static final String LOCATION_PREFIX = "engram:";

    private final Framework framework;
    private final RuntimeFolder runtimeFolder;
    /** Applies live edits of config/bundles.list and config/engram.logging.cfg; null until the framework has started. */
    private volatile ConfigFilePoller configPoller;

    private EngramHost(Framework framework, RuntimeFolder runtimeFolder) {
        this.framework = framework;
        this.runtimeFolder = runtimeFolder;
    }

    /**
     * Starts the framework and every bundle config names; returns once all are started.
     * A bundle that fails to install or start is logged and skipped: the host serves the rest.
     */
    public static EngramHost start(Path dataDir, Path configDir, InputStream stdin, OutputStream stdout)
            throws IOException, BundleException {
        return start(dataDir, configDir, stdin, stdout, List.of());
    }

    /**
     * As {@link #start(Path, Path, InputStream, OutputStream)}, with {@code required} bundles (names
     * of bundles inside engram.jar) started after the listed ones when config/bundles.list leaves
     * them out: a command that needs a family switched off by the admin gets it for its own run,
     * and the admin's file stays as it is.
     */
    static EngramHost start(Path dataDir, Path configDir, InputStream stdin, OutputStream stdout,
            List<String> required) throws IOException, BundleException {
        Files.createDirectories(dataDir);
        // FileInstall does not create the folder it watches; a plugin author should find it there.
        Files.createDirectories(dataDir.resolve(DEPLOY_FOLDER));
        DefaultConfig.seedIfMissing(configDir);
        LogSettings logSettings = new LogSettings(configDir, System.getenv("ENGRAM_LOG"));
        Object logApplied = ConfigFilePoller.fingerprint(logSettings.file());
        logSettings.apply();
        Path bundleList = configDir.resolve(BundleList.FILE_NAME);
        Object listApplied = ConfigFilePoller.fingerprint(bundleList);
        Map<String, URL> sources = new LinkedHashMap<>();
        for (String name : BundleList.read(configDir)) {
            URL source = BundleList.locate(name, configDir);
            if (source == null) {
                LOG.severe("config/" + BundleList.FILE_NAME + " names '" + name
                        + "', which is neither a bundle inside engram.jar nor a jar file; skipped");
            }
            sources.put(name, source);
        }
        boolean addsBundles = false;
        for (String name : required) {
            if (!sources.containsKey(name)) {
                LOG.info(name + " is off in config/" + BundleList.FILE_NAME + "; started for this run only");
                sources.put(name, BundleList.locate(name, configDir));
                addsBundles = true;
            }
        }

        // Bundles beyond the list in a cache slot would make the next host rebuild that slot.
        RuntimeFolder runtime = addsBundles ? RuntimeFolder.acquirePrivate(dataDir) : RuntimeFolder.acquire(dataDir);
        String wanted;
        String stamp;
        long begin = System.nanoTime();
        Felix felix;
        try {
            // lmdbjava extracts its native library here instead of leaving one in /tmp per class loader.
            System.setProperty("lmdbjava.extract.dir", Files.createDirectories(runtime.nativeFolder()).toString());
            wanted = runtime.reusable() ? describe(sources) : null;
            stamp = wanted == null ? null : CacheStamp.read(runtime.path());
            if (stamp != null && !stamp.startsWith(wanted)) {
                // Before Felix cleans the cache: a process killed while rebuilding must leave no stamp.
                CacheStamp.delete(runtime.path());
                stamp = null;
            }
            felix = new Felix(frameworkProperties(runtime, stamp != null, dataDir, configDir));
            felix.init();
        } catch (IOException | BundleException | RuntimeException e) {
            runtime.release();
            throw e;
        }

        EngramHost host = new EngramHost(felix, runtime);
        try {
            BundleContext system = felix.getBundleContext();
            registerStdio(system, stdin, stdout);
            long initialized = System.nanoTime();
            // Only the bundles config lists are stamped: one FileInstall installed from the deploy
            // folder stays in the cache, and FileInstall reconciles it with that folder on its first scan.
            List<Bundle> bundles = launcherBundles(system);
            boolean reused = stamp != null && stamp.equals(wanted + CacheStamp.installed(bundles));
            String newStamp = null;
            if (reused) {
                uninstallOrphans(system);
            } else {
                if (stamp != null) {
                    // Built from the same jars, but one of ours changed since (updated or lost). The
                    // others go too, so that ours get the lowest ids again and start first, in list order;
                    // their installers (FileInstall) install them again.
                    LOG.fine("Framework cache " + runtime.path() + " differs from its stamp; rebuilding it");
                    CacheStamp.delete(runtime.path());
                    for (Bundle changed : installedBundles(system)) {
                        changed.uninstall();
                    }
                }
                bundles = install(system, sources);
                // A bundle that failed to install would be missing from the slot: leave it unstamped.
                boolean complete = bundles.size() == sources.values().stream().filter(Objects::nonNull).count();
                newStamp = wanted != null && complete ? wanted + CacheStamp.installed(bundles) : null;
            }
            for (Bundle bundle : bundles) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    // Marks it for start (again, if an earlier run stopped it); the framework starts
                    // marked bundles in bundle id order, which is install order, in start().
                    bundle.start();
                }
            }
            long installedAt = System.nanoTime();
            // One resolver run for all bundles; else start() resolves them one by one (measured: ~45 ms more).
            felix.adapt(FrameworkWiring.class).resolveBundles(null);
            felix.start();
            if (newStamp != null) {
                writeStamp(runtime, newStamp);
            }
            BundleListApplier bundleListApplier = new BundleListApplier(felix.getBundleContext(), configDir,
                    required);
            host.configPoller = new ConfigFilePoller()
                    .watch(bundleList, listApplied, bundleListApplier::apply)
                    .watch(logSettings.file(), logApplied, logSettings::apply)
                    .start();
            int count = bundles.size();
            String how = reused ? "reused from " + runtime.path() : "installed";
            LOG.fine(() -> String.format("Framework init %d ms, %d bundles %s in %d ms, started in %d ms",
                    (initialized - begin) / 1_000_000, count, how, (installedAt - initialized) / 1_000_000,
                    (System.nanoTime() - installedAt) / 1_000_000));
            return host;
        } catch (IOException | BundleException | RuntimeException e) {
            host.stop(Duration.ofSeconds(2));
            throw e;
        }
    }

    /** A stamped cache is kept as it is; any other is cleaned first. */
    private static Map<String, Object> frameworkProperties(RuntimeFolder runtime, boolean stamped, Path dataDir,
            Path configDir) {
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, runtime.frameworkCache().toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, stamped ? "none" : Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // sun.nio.ch: lmdbjava's buffer proxy reads direct buffers' addresses (engram.storage LmdbBuffers).
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "sun.misc,sun.nio.ch");
        props.put("felix.log.logger", new FelixJulLogger());
        props.put(DATA_DIR_PROPERTY, dataDir.toString());
        props.put(CONFIG_DIR_PROPERTY, configDir.toString());
        // FileInstall turns config/<pid>.cfg into Configuration Admin configurations, live.
        props.put("felix.fileinstall.dir", configDir.toString());
        props.put("felix.fileinstall.filter", ".*\\.cfg");
        props.put("felix.fileinstall.poll", "1000");
        props.put("felix.fileinstall.noInitialDelay", "true");
        props.put("felix.fileinstall.enableConfigSave", "false");
        props.put("felix.fileinstall.log.default", "jul");
        props.put("felix.fileinstall.log.level", "3");
        // The config folder is the only source of settings: Configuration Admin must not keep
        // configurations in a reused cache, where a .cfg file deleted meanwhile would live on.
        props.put("felix.cm.pm", "memory");
        props.put("ds.loglevel", "warn");
        // SCR saves the parsed component descriptions on a clean stop and reads them back next start.
        props.put("ds.cache.metadata", "true");
        return props;
    }

    /** What the slot should hold; null (never reuse, never stamp) when a source cannot be identified. */
    private static String describe(Map<String, URL> sources) {
        try {
            return CacheStamp.describe(sources);
        } catch (IOException e) {
            LOG.fine("Cannot identify the bundles to install; the framework cache is rebuilt each start: " + e);
            return null;
        }
    }

    private static void writeStamp(RuntimeFolder runtime, String stamp) {
        try {
            CacheStamp.write(runtime.path(), stamp);
        } catch (IOException e) {
            LOG.fine("Cannot write the cache stamp in " + runtime.path() + "; the next start rebuilds: " + e);
        }
    }

    /** The bundles in the framework cache (all but the system bundle), in bundle id order. */
    private static List<Bundle> installedBundles(BundleContext system) {
        List<Bundle> bundles = new ArrayList<>();
        for (Bundle bundle : system.getBundles()) {
            if (bundle.getBundleId() != Constants.SYSTEM_BUNDLE_ID) {
                bundles.add(bundle);
            }
        }
        bundles.sort(Comparator.comparingLong(Bundle::getBundleId));
        return bundles;
    }

    /** The installed bundles config lists (location starts with {@link #LOCATION_PREFIX}), in bundle id order. */
    private static List<Bundle> launcherBundles(BundleContext system) {
        List<Bundle> bundles = installedBundles(system);
        bundles.removeIf(bundle -> !bundle.getLocation().startsWith(LOCATION_PREFIX));
        return bundles;
    }

    /**
     * Uninstalls the bundles others installed from a jar file that is gone. FileInstall does not
     * notice a jar deleted from its folder while Engram was down (measured with FileInstall 3.7.4:
     * it starts the stale bundle again); a jar added or changed meanwhile it does install or update.
     */
    private static void uninstallOrphans(BundleContext system) throws BundleException {
        for (Bundle bundle : installedBundles(system)) {
            Path jar = jarFile(bundle.getLocation());
            if (jar != null && !Files.exists(jar)) {
                LOG.info("Uninstalling " + bundle.getSymbolicName() + ": its jar " + jar + " is gone");
                bundle.uninstall();
            }
        }
    }

    /** The file a {@code file:} location names; null for any other location. */
    private static Path jarFile(String location) {
        try {
            URI uri = new URI(location);
            return "file".equals(uri.getScheme()) ? Path.of(uri) : null;
        } catch (URISyntaxException | IllegalArgumentException notAFile) {
            return null;
        }
    }

    private static void registerStdio(BundleContext system, InputStream stdin, OutputStream stdout) {
        Hashtable<String, Object> in = new Hashtable<>();
        in.put(STDIO_PROPERTY, "in");
        system.registerService(InputStream.class, stdin, in);
        Hashtable<String, Object> out = new Hashtable<>();
        out.put(STDIO_PROPERTY, "out");
        ServiceRegistration<OutputStream> stdoutRegistration = system.registerService(OutputStream.class, stdout, out);
        // The framework stops bundles in reverse start order, which would close storage before the
        // server stops taking calls. Whatever starts the stop (a signal, stdin EOF), stop the bundle
        // serving stdio first, so calls end before storage drains.
        system.addBundleListener((SynchronousBundleListener) event -> {
            if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING) {
                stopFirst(stdoutRegistration);
            }
        });
    }

    private static void stopFirst(ServiceRegistration<OutputStream> stdoutRegistration) {
        Bundle[] users;
        try {
            users = stdoutRegistration.getReference().getUsingBundles();
        } catch (IllegalStateException unregistered) {
            return;
        }
        for (Bundle transport : users == null ? new Bundle[0] : users) {
            try {
                transport.stop(Bundle.STOP_TRANSIENT);
            } catch (BundleException | IllegalStateException e) {
                LOG.warning("Could not stop " + transport.getSymbolicName() + " ahead of the others: " + e.getMessage());
            }
        }
    }

    private static List<Bundle> install(BundleContext system, Map<String, URL> sources) {
        List<Bundle> installed = new ArrayList<>();
        for (Map.Entry<String, URL> bundle : sources.entrySet()) {
            if (bundle.getValue() == null) {
                continue;
            }
            try (InputStream jar = bundle.getValue().openStream()) {
                installed.add(system.installBundle(LOCATION_PREFIX + bundle.getKey(), jar));
            } catch (IOException | BundleException e) {
                LOG.severe("Cannot install bundle '" + bundle.getKey() + "': " + e.getMessage());
            }
        }
        return installed;
    }

    public Framework framework() {
        return framework;
    }

    /** Blocks until the framework has stopped (for example because stdin closed). */
    public void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /**
     * Stops the framework, which deactivates every component (storage drains, syncs and
     * closes), and waits up to {@code timeout}. Returns whether it stopped in time.
     */
    public boolean stop(Duration timeout) {
        ConfigFilePoller poller = configPoller;
        if (poller != null) {
            poller.close();
        }
        try {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                framework.stop();
            }
            FrameworkEvent event = framework.waitForStop(timeout.toMillis());
            boolean stopped = event.getType() != FrameworkEvent.WAIT_TIMEDOUT;
            if (stopped) {
                runtimeFolder.release();
            }
            return stopped;
        } catch (BundleException e) {
            LOG.warning("Stopping the framework failed: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
