package io.engram.semantic;

import io.engram.api.config.ConfigReader;
import io.engram.api.search.SemanticIndex;
import io.engram.api.status.StatusContributor;
import io.engram.api.store.DynamicStore;
import io.engram.api.store.Store;
import io.engram.api.store.StoreException;
import io.engram.api.store.StoreStatus;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The semantic index as an OSGi service (PID {@code engram.semantic}), on the Store service, with the
 * {@code semantic} section of {@code system_status}. Immediate: the model loads on the worker thread as soon as
 * the bundle starts, not on the first caller's path.
 */
@Component(service = {SemanticIndex.class, StatusContributor.class}, immediate = true,
        configurationPid = SemanticService.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SemanticService.Config.class)
public class SemanticService extends SemanticEngine implements StatusContributor {

    /** The configuration PID (config/engram.semantic.cfg). */
    public static final String PID = "engram.semantic";

    private static final Logger LOG = Logger.getLogger(SemanticService.class.getName());

    /** Settings of semantic search. */
    @ObjectClassDefinition(name = "Engram semantic search", description = "Settings of semantic search")
    public @interface Config {

        @AttributeDefinition(description = "Texts embedded together and stored in one write transaction")
        int batchSize() default 32;

        @AttributeDefinition(description = "How often to look for memories queued by other processes sharing the"
                + " store, in milliseconds (this process's own writes are picked up at once)")
        long pollIntervalMs() default 5_000;

        @AttributeDefinition(description = "From how many stored vectors on searches use the clustered (approximate)"
                + " index instead of reading every vector; it is built in the background when they get there")
        long clusterFrom() default 20_000;

        @AttributeDefinition(description = "The share of all vectors a clustered search reads at least (1 or more: exact; more:"
                + " closer to exact, slower)")
        double searchShare() default 0.02;

        @AttributeDefinition(description = "How many vectors a clustered search reads at least")
        int searchMinCandidates() default 10_000;
    }

    /** The one place the settings are checked. */
    static final ConfigReader<Config> SETTINGS = ConfigReader.of(Config.class)
            .atLeast("batchSize", 1)
            .atLeast("pollIntervalMs", 100)
            .atLeast("clusterFrom", 1_000)
            .atLeast("searchShare", 0.0)
            .atLeast("searchMinCandidates", 1);

    /** How long the worker and searches wait for the Store service while the storage bundle restarts. */
    static final long STORE_WAIT_MS = 5_000;

    /**
     * How long deactivation waits for the worker. It ends within one text's embedding (milliseconds), except
     * while it loads the model (1-2 s, longer on a busy machine), which nothing can interrupt and which a
     * JVM must not exit in the middle of (SemanticEngine.stop); the host gives stopping bundles that long.
     * Nothing queued is lost by stopping: a batch not stored stays queued for the next start.
     */
    static final long STOP_WAIT_MS = 5_000;

    private final DynamicStore storage;
    private volatile Config config = SETTINGS.defaults();

    @Activate
    public SemanticService(Config config, Map<String, Object> properties, BundleContext context) {
        this(new DynamicStore(STORE_WAIT_MS), config, properties, context);
    }

    private SemanticService(DynamicStore storage, Config config, Map<String, Object> properties,
            BundleContext context) {
        super(storage, SemanticSettings.DEFAULTS);
        this.storage = storage;
        modified(config, properties);
        File nativeDir = context.getDataFile("native"); // private to this framework, kept across restarts
        start(nativeDir != null ? nativeDir.toPath() : null);
    }

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
        SemanticSettings settings = new SemanticSettings(checked.batchSize(), checked.pollIntervalMs(),
                checked.clusterFrom(), checked.searchShare(), checked.searchMinCandidates());
        applySettings(settings);
        LOG.fine(() -> "Semantic search settings in force: " + settings);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        stop(STOP_WAIT_MS);
    }

    @Override
    public String section() {
        return "semantic";
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("model", modelId());
        status.put("state", modelState());
        status.put("embedded_here", embedded());
        // the counts only while the store is open: a status request must not wait for storage
        if (storage.status().state() == StoreStatus.State.OPEN) {
            try {
                status.put("pending", pending());
                status.put("vectors", vectors());
                status.put("index", indexStatus());
            } catch (StoreException e) {
                LOG.log(Level.FINE, "Semantic index counts unavailable", e);
            }
        }
        return status;
    }

    @Override
    public boolean degraded() {
        return modelState().startsWith("failed");
    }
}
