package io.engram.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * Applies edits of config/bundles.list while Engram runs (the {@link ConfigFilePoller} calls
 * {@link #apply()} on each edit): a bundle whose line is removed or commented out is stopped;
 * one added or uncommented is installed when needed and started. An entry that names no bundle
 * is reported with its line number and ignored; the rest of the file still applies.
 */
final class BundleListApplier {

    private static final Logger LOG = Logger.getLogger(BundleListApplier.class.getName());

    private final BundleContext system;
    private final Path configDir;
    /** Bundles this run needs whatever the file says (see EngramHost's start with required bundles). */
    private final List<String> required;

    BundleListApplier(BundleContext system, Path configDir, List<String> required) {
        this.system = system;
        this.configDir = configDir;
        this.required = List.copyOf(required);
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
        for (String name : required) {
            if (!wanted.contains(name)) {
                wanted.add(name);
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
}
