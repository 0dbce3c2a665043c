package io.engram.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
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

/**
 * The OSGi host: an embedded Felix framework with the bundles that config/bundles.list
 * names, started in that order. The process's real stdin and stdout are handed to the
 * stdio transport as services ({@code java.io.InputStream} / {@code java.io.OutputStream}
 * with {@code engram.stdio=in|out}); nothing else in the framework can reach them.
 */
public final class EngramHost {

    private static final Logger LOG = Logger.getLogger(EngramHost.class.getName());

    /** Framework property: absolute path of the data folder. */
    public static final String DATA_DIR_PROPERTY = "engram.data.dir";
    /** Framework property: absolute path of the config folder. */
    public static final String CONFIG_DIR_PROPERTY = "engram.config.dir";
    /** Service property that marks the stdio streams. */
    public static final String STDIO_PROPERTY = "engram.stdio";

    private final Framework framework;
    private final Path runtimeFolder;
    private final java.util.concurrent.atomic.AtomicBoolean runtimeFolderRemoved =
            new java.util.concurrent.atomic.AtomicBoolean();

    private EngramHost(Framework framework, Path runtimeFolder) {
        this.framework = framework;
        this.runtimeFolder = runtimeFolder;
    }

    /**
     * Starts the framework and every bundle config names; returns once all are started.
     * A bundle that fails to install or start is logged and skipped: the host serves the rest.
     */
    public static EngramHost start(Path dataDir, Path configDir, InputStream stdin, OutputStream stdout)
            throws IOException, BundleException {
        Files.createDirectories(dataDir);
        DefaultConfig.seedIfMissing(configDir);
        List<String> bundleNames = BundleList.read(configDir);
        Path runtime = RuntimeFolder.create(dataDir.resolve("run"));
        // lmdbjava extracts its native library here instead of leaving one in /tmp per class loader.
        System.setProperty("lmdbjava.extract.dir", Files.createDirectories(runtime.resolve("native")).toString());

        Map<String, Object> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, runtime.resolve("felix-cache").toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "sun.misc");
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
        props.put("ds.loglevel", "warn");

        long begin = System.nanoTime();
        Felix felix = new Felix(props);
        felix.init();
        EngramHost host = new EngramHost(felix, runtime);
        try {
            BundleContext system = felix.getBundleContext();
            registerStdio(system, stdin, stdout);
            long initialized = System.nanoTime();
            List<Bundle> installed = host.install(system, bundleNames, configDir);
            for (Bundle bundle : installed) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    // Marks it for start; the framework starts marked bundles in install order in start().
                    bundle.start();
                }
            }
            long installedAt = System.nanoTime();
            felix.start();
            LOG.fine(() -> String.format("Framework init %d ms, %d bundles installed in %d ms, started in %d ms",
                    (initialized - begin) / 1_000_000, installed.size(), (installedAt - initialized) / 1_000_000,
                    (System.nanoTime() - installedAt) / 1_000_000));
            return host;
        } catch (BundleException | RuntimeException e) {
            host.stop(Duration.ofSeconds(2));
            throw e;
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

    private List<Bundle> install(BundleContext system, List<String> names, Path configDir) {
        List<Bundle> installed = new ArrayList<>();
        for (String name : names) {
            try (InputStream jar = open(name, configDir)) {
                if (jar == null) {
                    LOG.severe("config/" + BundleList.FILE_NAME + " names '" + name
                            + "', which is neither a bundle inside engram.jar nor a jar file; skipped");
                    continue;
                }
                installed.add(system.installBundle("engram:" + name, jar));
            } catch (IOException | BundleException e) {
                LOG.severe("Cannot install bundle '" + name + "': " + e.getMessage());
            }
        }
        return installed;
    }

    private static InputStream open(String name, Path configDir) throws IOException {
        if (name.endsWith(".jar")) {
            Path jar = configDir.resolve(name);
            return Files.isRegularFile(jar) ? Files.newInputStream(jar) : null;
        }
        return EngramHost.class.getClassLoader().getResourceAsStream("bundles/" + name + ".jar");
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
        try {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                framework.stop();
            }
            FrameworkEvent event = framework.waitForStop(timeout.toMillis());
            boolean stopped = event.getType() != FrameworkEvent.WAIT_TIMEDOUT;
            if (stopped && runtimeFolderRemoved.compareAndSet(false, true)) {
                DefaultConfig.deleteTree(runtimeFolder);
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
