package io.engram.compat;

import io.engram.api.config.ConfigReader;
import io.engram.api.store.DynamicStore;
import io.engram.api.store.Store;
import io.engram.kg.graph.KnowledgeGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The reference-compatible graph as a service for its tools, on engram.kg's {@link KnowledgeGraph}
 * and the Store service, configured by the {@code engram.compat} PID (settings apply live). The
 * tools stay listed while storage restarts; a call made meanwhile waits a little for it.
 */
@Component(service = ReferenceGraph.class, immediate = true, configurationPid = ReferenceGraphService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ReferenceGraphService.Config.class)
public class ReferenceGraphService extends ReferenceGraph {

    /** The configuration PID (config/engram.compat.cfg). */
    public static final String PID = "engram.compat";

    private static final Logger LOG = Logger.getLogger(ReferenceGraphService.class.getName());

    /** Settings of the reference-compatible tools. */
    @ObjectClassDefinition(name = "Engram reference-compatible tools",
            description = "Settings of create_entities, read_graph, search_nodes and the other reference tools")
    public @interface Config {

        @AttributeDefinition(description = "Namespace every call uses unless it names one; empty for the client's"
                + " workspace, global for one graph shared by every project (as the reference's single file)")
        String namespace() default "";

        @AttributeDefinition(description = "Characters of entities and relations a read_graph or search_nodes"
                + " answer holds at most before it stops with truncated: true and a nextCursor")
        int responseBudgetChars() default 8_000;

        @AttributeDefinition(description = "The largest limit a read_graph or search_nodes call accepts")
        int maxLimit() default 500;
    }

    /** The one place the settings are checked. */
    static final ConfigReader<Config> SETTINGS = ConfigReader.of(Config.class)
            .atLeast("responseBudgetChars", 200)
            .atLeast("maxLimit", 1);

    /** How long a call waits for the Store service while the storage bundle restarts. */
    static final long STORE_WAIT_MS = 5_000;

    /**
     * How long after activation a call may wait for config/engram.compat.cfg to be applied.
     * FileInstall applies the config folder after the handshake (about a second after launch), and
     * the namespace setting decides which graph a call reads and writes: a call made before must
     * not use the default.
     */
    static final long CONFIG_FILE_WAIT_MS = 5_000;

    private final DynamicStore storage;
    private volatile Config config = SETTINGS.defaults();
    /** Open once the configuration file's settings are in force, or when there is no such file. */
    private final CountDownLatch configFileApplied;
    private final long configFileDeadline;

    @Activate
    public ReferenceGraphService(@Reference(name = "graph") KnowledgeGraph graph, Config config,
            Map<String, Object> properties, BundleContext context) {
        this(new DynamicStore(STORE_WAIT_MS), graph, configFileExpected(context, properties));
        modified(config, properties);
    }

    private ReferenceGraphService(DynamicStore storage, KnowledgeGraph graph, boolean configFileExpected) {
        super(storage, graph, CompatSettings.DEFAULTS);
        this.storage = storage;
        this.configFileApplied = new CountDownLatch(configFileExpected ? 1 : 0);
        this.configFileDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONFIG_FILE_WAIT_MS);
    }

    /** Whether FileInstall will hand this component config/engram.compat.cfg, which it has not done yet. */
    private static boolean configFileExpected(BundleContext context, Map<String, Object> properties) {
        String configDir = context.getProperty("felix.fileinstall.dir");
        return !properties.containsKey(Constants.SERVICE_PID) && configDir != null
                && Files.isRegularFile(Path.of(configDir, PID + ".cfg"));
    }

    /**
     * The settings a call uses: at startup, once the configuration file is applied (waiting at most
     * until {@link #CONFIG_FILE_WAIT_MS} after activation, for a file FileInstall cannot read).
     */
    CompatSettings settledSettings() {
        long left = configFileDeadline - System.nanoTime();
        if (configFileApplied.getCount() > 0 && left > 0) {
            try {
                configFileApplied.await(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return settings();
    }

    // Dynamic and optional: the service (and so the tools) stay while storage restarts.
    @Reference(name = "store", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStore(Store store) {
        storage.set(store);
    }

    void unbindStore(Store store) {
        storage.unset(store);
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        Config checked = SETTINGS.read(config, properties, this.config);
        this.config = checked;
        CompatSettings settings = new CompatSettings(checked.namespace(), checked.responseBudgetChars(),
                checked.maxLimit());
        applySettings(settings);
        if (properties.containsKey(Constants.SERVICE_PID)) {
            configFileApplied.countDown();
        }
        LOG.fine(() -> "Reference-compatible settings in force: " + settings);
    }
}
