package io.engram.storage;

import io.engram.api.config.ConfigFileGate;
import io.engram.api.config.ConfigReader;
import io.engram.api.store.Store;
import io.engram.api.store.StoreAdmin;
import io.engram.api.store.StoreStatus;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Registers the {@link Store} and {@link StoreAdmin} services, backed by an {@link LmdbStore} configured by PID
 * {@code engram.storage}. Activation only starts the open (the MCP handshake must not wait for
 * storage); calls wait for it a bounded time. When config/engram.storage.cfg exists but FileInstall
 * has not applied it yet (at startup it does so about a second after launch), the open starts once
 * it has, or when the {@link ConfigFileGate} gives up: the store opens where the file says, never
 * first in the default folder. A settings edit is applied in place: a new path or a new limit fixed
 * at open closes the store and reopens it, while the service stays registered.
 */
@Component(service = {Store.class, StoreAdmin.class}, immediate = true, configurationPid = StoreComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StoreComponent.Config.class)
public class StoreComponent implements Store, StoreAdmin {

    /** The configuration PID: config/engram.storage.cfg. */
    public static final String PID = "engram.storage";

    /** The settings an admin edits in config/engram.storage.cfg. */
    @ObjectClassDefinition(name = "Engram storage", description = "The LMDB store behind every Engram tool.")
    public @interface Config {

        @AttributeDefinition(description = "Store folder; a relative path is resolved against the data folder"
                + " (framework property engram.data.dir).")
        String path() default "store";

        @AttributeDefinition(description = "Address space reserved at open, in bytes; doubles when full.")
        long initialMapSizeBytes() default 256L * 1024 * 1024;

        @AttributeDefinition(description = "The store never grows beyond this many bytes.")
        long maxMapSizeBytes() default 1024L * 1024 * 1024 * 1024;

        @AttributeDefinition(description = "Concurrent read transactions across all processes; keep it equal in"
                + " every process.")
        int maxReaders() default 126;

        @AttributeDefinition(description = "Keyspaces (named databases) the store can hold.")
        int maxKeyspaces() default 128;

        @AttributeDefinition(description = "Logged open attempts before retrying in the background.")
        int openAttempts() default 10;

        @AttributeDefinition(description = "Delay after the first failed open attempt, in ms.")
        long openFirstDelayMs() default 100;

        @AttributeDefinition(description = "Factor by which each further retry delay grows.")
        double openBackoff() default 1.5;

        @AttributeDefinition(description = "Ceiling of a retry delay and interval of background retries, in ms.")
        long openMaxDelayMs() default 1000;

        @AttributeDefinition(description = "Time budget of the logged open attempts, in ms.")
        long openDeadlineMs() default 5500;

        @AttributeDefinition(description = "How long one open may take before it counts as blocked by another"
                + " process's lock, in ms.")
        long openAttemptTimeoutMs() default 1000;

        @AttributeDefinition(description = "How long a call waits for a store that is still opening, in ms.")
        long callWaitMs() default 5000;

        @AttributeDefinition(description = "How long closing waits for running transactions, in ms.")
        long drainTimeoutMs() default 1000;

        @AttributeDefinition(description = "Concurrent writes share one durable commit; false commits each write"
                + " on its own (for measurements).")
        boolean groupCommit() default true;
    }

    /** The one place the settings are checked: a bad value is reported and keeps its last good value. */
    static final ConfigReader<Config> SETTINGS = ConfigReader.of(Config.class)
            .atLeast("initialMapSizeBytes", 1)
            .atLeast("maxMapSizeBytes", 1)
            .atLeast("maxMapSizeBytes", "initialMapSizeBytes")
            .atLeast("maxReaders", 1)
            .atLeast("maxKeyspaces", 1)
            .atLeast("openAttempts", 1)
            .atLeast("openFirstDelayMs", 1)
            .atLeast("openBackoff", 1.0)
            .atLeast("openMaxDelayMs", 1)
            .atLeast("openDeadlineMs", 1)
            .atLeast("openAttemptTimeoutMs", 1)
            .atLeast("callWaitMs", 0)
            .atLeast("drainTimeoutMs", 0);

    private static final Logger LOG = Logger.getLogger(StoreComponent.class.getName());

    private String dataDir;
    private volatile Config config;
    /** Not started while the config file is pending; replaced (unstarted) by each edit meanwhile. */
    private volatile LmdbStore store;
    private ConfigFileGate configFile;
    /** Guards starting the store against edits and deactivation, which may come on other threads. */
    private final Object lifecycle = new Object();
    private boolean started;
    private boolean deactivated;

    @Activate
    void activate(BundleContext context, Config config, Map<String, Object> properties) {
        dataDir = context.getProperty("engram.data.dir");
        if (dataDir == null) {
            dataDir = Path.of(System.getProperty("user.home"), ".engram").toString();
            LOG.warning("Framework property engram.data.dir is not set; using " + dataDir);
        }
        configFile = ConfigFileGate.of(context, PID, properties);
        this.config = SETTINGS.read(config, properties, SETTINGS.defaults());
        store = new LmdbStore(settings(this.config));
        if (configFile.isPending()) {
            LOG.fine(() -> "Storage waits for " + configFile + " before opening");
        }
        // At once without a pending file; else on the thread that applies the file, or at the gate's deadline.
        configFile.settled().thenRun(this::startOnce);
    }

    private void startOnce() {
        synchronized (lifecycle) {
            if (!started && !deactivated) {
                started = true;
                store.start();
            }
        }
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        synchronized (lifecycle) {
            if (deactivated) {
                return; // a late edit must not bring back a store that closed
            }
            this.config = SETTINGS.read(config, properties, this.config);
            StoreSettings next = settings(this.config);
            if (!started) {
                // Nothing opened yet: the store opens with these settings when the gate opens (below).
                store = new LmdbStore(next);
            } else {
                applyToStarted(next);
            }
        }
        configFile.modified(properties);
    }

    private void applyToStarted(StoreSettings next) {
        LmdbStore current = store;
        if (current.settings().canApplyLive(next)) {
            current.updateSettings(next);
            LOG.info("Applied new storage settings to " + current.dir());
            return;
        }
        LOG.info("Storage settings changed the folder or a limit fixed at open: reopening " + next.dir());
        LmdbStore replacement = new LmdbStore(next);
        // Calls from now on wait for the replacement's open; calls already in the old store drain first.
        store = replacement;
        current.close();
        replacement.start();
    }

    @Deactivate
    void deactivate() {
        synchronized (lifecycle) {
            deactivated = true;
        }
        store.close();
    }

    @Override
    public <T> T read(ReadWork<T> work) {
        return ready().read(work);
    }

    @Override
    public <T> T write(WriteWork<T> work) {
        return ready().write(work);
    }

    @Override
    public StoreStatus status() {
        if (configFile.isPending()) {
            return StoreStatus.of(store.dir().toString(), StoreStatus.State.OPENING,
                    "waiting for config/" + PID + ".cfg to be applied");
        }
        return store.status();
    }

    /**
     * The store, once the config file's settings are in force (or the gate gave up on it); the store
     * itself then makes a call wait a bounded time for its open.
     */
    private LmdbStore ready() {
        configFile.await();
        return store;
    }

    @Override
    public BackupResult backup(Path destination) {
        return ready().backup(destination);
    }

    @Override
    public RestoreResult restore(Path source) {
        return ready().restore(source);
    }

    @Override
    public CleanupResult cleanup(boolean compact) {
        return ready().cleanup(compact);
    }

    private StoreSettings settings(Config config) {
        Path dir = Path.of(dataDir).resolve(config.path());
        return new StoreSettings(dir, config.initialMapSizeBytes(), config.maxMapSizeBytes(), config.maxReaders(),
                config.maxKeyspaces(), config.openAttempts(), config.openFirstDelayMs(), config.openBackoff(),
                config.openMaxDelayMs(), config.openDeadlineMs(), config.callWaitMs(), config.drainTimeoutMs(),
                config.openAttemptTimeoutMs(), config.groupCommit());
    }
}
