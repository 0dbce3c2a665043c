package io.engram.api.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Tells a Declarative Services component when its {@code config/<pid>.cfg} file is in force at
 * startup, for the settings that decide where or how data is written.
 *
 * <p>FileInstall applies the config folder (framework property {@value #CONFIG_DIR_PROPERTY}) about
 * a second after launch, after the MCP handshake. Until then DS activates a component whose
 * configuration is optional with its defaults. Most settings may take the default for that second;
 * a store folder or a namespace may not: a write answered meanwhile would land in the wrong place.
 * A component creates a gate in its activate method and hands it the properties of each modified
 * call; work that depends on such a setting first {@link #await() awaits} the gate:
 *
 * <pre>{@code
 * private ConfigFileGate configFile;
 *
 * @Activate
 * void activate(BundleContext context, Config config, Map<String, Object> properties) {
 *     configFile = ConfigFileGate.of(context, PID, properties);
 *     ...
 * }
 *
 * @Modified
 * void modified(Config config, Map<String, Object> properties) {
 *     ... // take the new settings first
 *     configFile.modified(properties);
 * }
 * }</pre>
 *
 * <p>The gate is pending when the file exists but the activation properties do not come from
 * Configuration Admin (no {@code service.pid}). It opens at the first modified call whose properties
 * do, or at a deadline counted from activation ({@link #DEFAULT_WAIT} unless given): a file FileInstall
 * cannot read is never applied, and the component then goes on with its defaults, logging one
 * WARNING that names the file. Without the file, or without a config folder (tests, other hosts),
 * the gate is open from the start.
 *
 * <p>Thread-safe.
 */
public final class ConfigFileGate {

    /** The framework property naming the folder FileInstall applies config files from. */
    public static final String CONFIG_DIR_PROPERTY = "felix.fileinstall.dir";

    /** How long after activation a pending gate waits for its file, unless told otherwise. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(ConfigFileGate.class.getName());

    private final String pid;
    private final Path file;
    /** True once the file's settings are in force (or none are expected), false at the deadline. */
    private final CompletableFuture<Boolean> settled = new CompletableFuture<>();

    private ConfigFileGate(String pid, Path file, Duration wait) {
        this.pid = pid;
        this.file = file;
        if (file == null) {
            settled.complete(true);
            return;
        }
        settled.completeOnTimeout(false, wait.toMillis(), TimeUnit.MILLISECONDS).thenAccept(applied -> {
            if (!applied) {
                LOG.warning("config file " + file + " was not applied within " + wait.toMillis() + " ms of start"
                        + " (look for an earlier message about it); " + pid + " goes on with its defaults until it is");
            }
        });
    }

    /** A gate that waits at most {@link #DEFAULT_WAIT} from now. */
    public static ConfigFileGate of(BundleContext context, String pid, Map<String, ?> properties) {
        return of(context, pid, properties, DEFAULT_WAIT);
    }

    /**
     * A gate for the component configured by {@code pid}, activated with {@code properties}.
     *
     * @param wait how long from now to wait for the file before going on with the defaults
     */
    public static ConfigFileGate of(BundleContext context, String pid, Map<String, ?> properties, Duration wait) {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(wait, "wait");
        String configDir = context.getProperty(CONFIG_DIR_PROPERTY);
        Path file = configDir == null ? null : Path.of(configDir, pid + ".cfg");
        boolean expected = file != null && !properties.containsKey(Constants.SERVICE_PID) && Files.isRegularFile(file);
        return new ConfigFileGate(pid, expected ? file : null, wait);
    }

    /**
     * Hands the gate the properties of a modified call (after the component took the settings):
     * properties from Configuration Admin open it.
     */
    public void modified(Map<String, ?> properties) {
        if (properties.containsKey(Constants.SERVICE_PID)) {
            settled.complete(true);
        }
    }

    /** Whether the file is still expected: its settings are not in force yet and the deadline has not passed. */
    public boolean isPending() {
        return !settled.isDone();
    }

    /**
     * Waits until the file's settings are in force or the deadline passes.
     *
     * @return true when the file's settings are in force, or there was no file to wait for; false after the
     *         deadline or when interrupted (the interrupt status is kept)
     */
    public boolean await() {
        try {
            return settled.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * As {@link #await()}, waiting at most {@code timeout}: false also when it passes first.
     */
    public boolean await(Duration timeout) {
        try {
            return settled.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Completes when the gate opens: with true when the file's settings are in force (or there was no
     * file), with false at the deadline. Actions run on the thread that opens it: the one calling
     * {@link #modified}, or a timer thread; keep them short.
     */
    public CompletionStage<Boolean> settled() {
        return settled.minimalCompletionStage();
    }

    @Override
    public String toString() {
        return "ConfigFileGate of " + pid + (file == null ? " (no file to wait for)" : " (" + file + ", "
                + (isPending() ? "pending" : "settled") + ")");
    }
}
