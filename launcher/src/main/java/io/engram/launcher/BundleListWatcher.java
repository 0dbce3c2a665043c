package io.engram.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * Applies edits of config/bundles.list while Engram runs: a bundle whose line is removed or
 * commented out is stopped; one added or uncommented is installed when needed and started.
 * Polls the file's size and modification time every second, as FileInstall does for the
 * .cfg files beside it, so an edit applies within about 2 s. An entry that names no bundle is
 * reported with its line number and ignored; the rest of the file still applies.
 */
final class BundleListWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BundleListWatcher.class.getName());
    static final long POLL_MS = 1000;

    private final BundleContext system;
    private final Path configDir;
    private final Thread thread;
    private volatile boolean closed;
    private Object lastSeen;

    private BundleListWatcher(BundleContext system, Path configDir, Object appliedFingerprint) {
        this.system = system;
        this.configDir = configDir;
        this.lastSeen = appliedFingerprint;
        this.thread = new Thread(this::run, "engram-bundles-list");
        thread.setDaemon(true);
    }

    /**
     * Starts watching. {@code appliedFingerprint} is {@link #fingerprint(Path)} of the list the
     * host was started from, taken before reading it, so an edit made during startup still applies.
     */
    static BundleListWatcher start(BundleContext system, Path configDir, Object appliedFingerprint) {
        BundleListWatcher watcher = new BundleListWatcher(system, configDir, appliedFingerprint);
        watcher.thread.start();
        return watcher;
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
            Object now = fingerprint(configDir);
            if (!Objects.equals(now, lastSeen)) {
                lastSeen = now;
                try {
                    apply();
                } catch (IOException | RuntimeException e) {
                    LOG.severe("Cannot apply config/" + BundleList.FILE_NAME + ": " + e.getMessage());
                }
            }
        }
    }

    /** Size and modification time of config/bundles.list; null when it is missing. */
    static Object fingerprint(Path configDir) {
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(configDir.resolve(BundleList.FILE_NAME), BasicFileAttributes.class);
            return List.of(attributes.size(), attributes.lastModifiedTime());
        } catch (IOException missing) {
            return null;
        }
    }

    /** Brings the running bundles in line with the file. */
    void apply() throws IOException {
        List<String> wanted = new ArrayList<>();
        for (BundleList.Entry entry : BundleList.readEntries(configDir)) {
            if (BundleList.locate(entry.name(), configDir) == null) {
                LOG.severe("config/" + BundleList.FILE_NAME + " line " + entry.line() + ": '" + entry.name()
                        + "' is neither a bundle inside engram.jar nor a jar file; ignored");
            } else {
                wanted.add(entry.name());
            }
        }
        for (Bundle bundle : system.getBundles()) {
            String name = launcherName(bundle);
            if (name != null && !wanted.contains(name) && (bundle.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
                stop(bundle, name);
            }
        }
        for (String name : wanted) {
            Bundle bundle = system.getBundle(EngramHost.LOCATION_PREFIX + name);
            if (bundle == null) {
                bundle = install(name);
            }
            if (bundle != null && bundle.getState() != Bundle.ACTIVE
                    && bundle.getHeaders("").get(Constants.FRAGMENT_HOST) == null) {
                start(bundle, name);
            }
        }
    }

    private static String launcherName(Bundle bundle) {
        String location = bundle.getLocation();
        return location.startsWith(EngramHost.LOCATION_PREFIX)
                ? location.substring(EngramHost.LOCATION_PREFIX.length()) : null;
    }

    private Bundle install(String name) {
        try {
            URL source = BundleList.locate(name, configDir);
            try (InputStream jar = source.openStream()) {
                return system.installBundle(EngramHost.LOCATION_PREFIX + name, jar);
            }
        } catch (IOException | BundleException e) {
            LOG.severe("config/" + BundleList.FILE_NAME + ": cannot install '" + name + "': " + e.getMessage());
            return null;
        }
    }

    private static void start(Bundle bundle, String name) {
        try {
            bundle.start();
            LOG.info("Switched on " + name + " (config/" + BundleList.FILE_NAME + ")");
        } catch (BundleException | IllegalStateException e) {
            LOG.severe("config/" + BundleList.FILE_NAME + ": cannot start '" + name + "': " + e.getMessage());
        }
    }

    private static void stop(Bundle bundle, String name) {
        if (servesStdio(bundle)) {
            LOG.warning("config/" + BundleList.FILE_NAME + ": " + name + " serves the IDE's connection and is not"
                    + " switched off while Engram runs; it stays off from the next start");
            return;
        }
        try {
            bundle.stop();
            LOG.info("Switched off " + name + " (config/" + BundleList.FILE_NAME + ")");
        } catch (BundleException | IllegalStateException e) {
            LOG.severe("config/" + BundleList.FILE_NAME + ": cannot stop '" + name + "': " + e.getMessage());
        }
    }

    private static boolean servesStdio(Bundle bundle) {
        ServiceReference<?>[] used = bundle.getServicesInUse();
        if (used != null) {
            for (ServiceReference<?> reference : used) {
                if (reference.getProperty(EngramHost.STDIO_PROPERTY) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
