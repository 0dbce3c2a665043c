package io.engram.compat;

import io.engram.api.config.ConfigFileGate;
import io.engram.api.config.ConfigReader;
import io.engram.api.store.DynamicStore;
import io.engram.api.store.Store;
import io.engram.kg.graph.KnowledgeGraph;
import java.util.Map;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
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

    private final DynamicStore storage;
    private volatile Config config = SETTINGS.defaults();
    /**
     * Open once config/engram.compat.cfg is in force: FileInstall applies the config folder after the
     * handshake (about a second after launch), and the namespace setting decides which graph a call
     * reads and writes, so a call made before must not use the default.
     */
    private final ConfigFileGate configFile;

    @Activate
    public ReferenceGraphService(@Reference(name = "graph") KnowledgeGraph graph, Config config,
            Map<String, Object> properties, BundleContext context) {
        this(new DynamicStore(STORE_WAIT_MS), graph, ConfigFileGate.of(context, PID, properties));
        modified(config, properties);
    }

    private ReferenceGraphService(DynamicStore storage, KnowledgeGraph graph, ConfigFileGate configFile) {
        super(storage, graph, CompatSettings.DEFAULTS);
        this.storage = storage;
        this.configFile = configFile;
    }

    /**
     * The settings a call uses: at startup, once the configuration file is applied (or the gate
     * gave up on a file FileInstall cannot read).
     */
    CompatSettings settledSettings() {
        configFile.await();
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
        configFile.modified(properties);
        LOG.fine(() -> "Reference-compatible settings in force: " + settings);
    }
}
