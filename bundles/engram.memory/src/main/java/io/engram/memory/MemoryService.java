package io.engram.memory;

import io.engram.api.config.ConfigFileGate;
import io.engram.api.config.ConfigReader;
import io.engram.api.search.SemanticIndex;
import io.engram.api.store.DynamicStore;
import io.engram.api.store.Store;
import io.engram.api.store.StoreException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.osgi.framework.BundleContext;
import java.util.logging.Logger;
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
 * The memory engine as an OSGi service, configured by the {@code engram.memory} PID and
 * working on the Store service. A settings change applies live; a value that makes no sense is
 * reported naming the file and that setting keeps its last good value.
 */
@Component(service = MemoryEngine.class, immediate = true, configurationPid = MemoryService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MemoryService.Config.class)
public class MemoryService extends MemoryEngine {

    /** The configuration PID (config/engram.memory.cfg). */
    public static final String PID = "engram.memory";

    private static final Logger LOG = Logger.getLogger(MemoryService.class.getName());

    /** Settings of the memory tools. */
    @ObjectClassDefinition(name = "Engram memory", description = "Settings of the memory tools")
    public @interface Config {

        @AttributeDefinition(description = "How long a short-term (STM) memory stays visible after it is added,"
                + " in milliseconds")
        long stmTtlMs() default 3_600_000L;

        @AttributeDefinition(description = "Results memory_search returns when the caller gives no limit")
        int searchDefaultLimit() default 10;

        @AttributeDefinition(description = "The largest limit memory_search accepts")
        int searchMaxLimit() default 100;

        @AttributeDefinition(description = "The most characters of results one memory_search answer holds;"
                + " a page that reaches it stops early with truncated: true and a nextCursor")
        int responseBudgetChars() default 8_000;

        @AttributeDefinition(description = "Weight of a word found in a memory's content when ranking memory_search"
                + " results (BM25F field boost)")
        double searchBoostContent() default 1.0;

        @AttributeDefinition(description = "Weight of a word found in a memory's metadata values")
        double searchBoostMetadata() default 0.5;

        @AttributeDefinition(description = "Weight of a word found in the names of the entities a memory was"
                + " linked to with memory_add's entities")
        double searchBoostEntities() default 1.0;

        @AttributeDefinition(description = "Hybrid search (with the semantic bundle): reciprocal rank fusion's k;"
                + " a memory ranked r-th by one signal adds weight / (k + r)")
        int searchFusionK() default 60;

        @AttributeDefinition(description = "Hybrid search: weight of the text ranking")
        double searchTextWeight() default 1.0;

        @AttributeDefinition(description = "Hybrid search: weight of the semantic ranking")
        double searchSemanticWeight() default 1.0;

        @AttributeDefinition(description = "Hybrid search: how many of each ranking's best are fused")
        int searchFusionDepth() default 100;

        @AttributeDefinition(description = "Semantic and hybrid search: the least cosine similarity (-1 to 1) a"
                + " memory needs to be found by meaning, so that a query about nothing stored finds nothing")
        double searchSemanticFloor() default 0.1;
    }

    /** The one place the settings are checked. */
    static final ConfigReader<Config> SETTINGS = ConfigReader.of(Config.class)
            .atLeast("stmTtlMs", 1)
            .atLeast("searchDefaultLimit", 1)
            .atLeast("searchMaxLimit", 1)
            .atLeast("searchMaxLimit", "searchDefaultLimit")
            .atLeast("responseBudgetChars", 200)
            .atLeast("searchBoostContent", 0)
            .atLeast("searchBoostMetadata", 0)
            .atLeast("searchBoostEntities", 0)
            .atLeast("searchFusionK", 1)
            .atLeast("searchTextWeight", 0)
            .atLeast("searchSemanticWeight", 0)
            .atLeast("searchFusionDepth", 10)
            .atLeast("searchSemanticFloor", -1);

    /** How long a call waits for the Store service while the storage bundle restarts. */
    static final long STORE_WAIT_MS = 5_000;

    /** How often expired memories are deleted with their links. */
    static final long SWEEP_INTERVAL_MS = 60_000;

    private final DynamicStore storage;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "engram-memory-expiry");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Config config = SETTINGS.defaults();

    /**
     * Open once config/engram.memory.cfg is in force: FileInstall applies the config folder after the
     * handshake (about a second after launch), and stmTtlMs is written into each memory added, so a
     * memory added before must not take the default expiry.
     */
    private final ConfigFileGate configFile;

    @Activate
    public MemoryService(Config config, Map<String, Object> properties, BundleContext context) {
        this(new DynamicStore(STORE_WAIT_MS), config, properties, ConfigFileGate.of(context, PID, properties));
    }

    private MemoryService(DynamicStore storage, Config config, Map<String, Object> properties,
            ConfigFileGate configFile) {
        super(storage, Clock.systemUTC(), MemorySettings.DEFAULTS);
        this.storage = storage;
        this.configFile = configFile;
        modified(config, properties);
        // off the handshake: build the text index if the store has memories it lacks (first start on
        // older data, a new analyzer, a build a stopped process left half done)
        sweeper.execute(this::indexOrLater);
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_INTERVAL_MS, SWEEP_INTERVAL_MS, TimeUnit.MILLISECONDS);
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

    // Present while engram.kg runs (GraphMentionLinks); memories added without it have no links.
    @Reference(name = "mentionLinks", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMentionLinks(MentionLinks links) {
        setMentionLinks(links);
    }

    void unbindMentionLinks(MentionLinks links) {
        unsetMentionLinks(links);
    }

    // Present while the semantic bundle runs: memories are queued for embedding and searches fuse both rankings.
    @Reference(name = "semanticIndex", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSemanticIndex(SemanticIndex index) {
        setSemanticIndex(index);
        sweeper.execute(this::backfillOrLater); // memories stored without it get their vectors
    }

    void unbindSemanticIndex(SemanticIndex index) {
        unsetSemanticIndex(index);
    }

    @Override
    protected MemorySettings settingsForWrites() {
        configFile.await();
        return settings();
    }

    @Deactivate
    void deactivate() {
        sweeper.shutdown(); // a sweep under way ends with its transaction
        stopSearchHelpers();
    }

    /** Hands the semantic index the memories it has never seen; tried again at the next sweep when it fails. */
    private void backfillOrLater() {
        try {
            long queued = backfillSemantic(false);
            if (queued > 0) {
                LOG.info(() -> queued + " memories queued to be embedded for semantic search");
            }
        } catch (StoreException e) {
            LOG.log(Level.FINE, "Semantic backfill not checked: storage unavailable; trying again later", e);
        } catch (RuntimeException e) {
            LOG.log(sweeper.isShutdown() ? Level.FINE : Level.WARNING, "Queueing memories for embedding failed", e);
        }
    }

    /** Builds the text index when it is missing; a store that is not open yet is tried again at the next sweep. */
    private void indexOrLater() {
        try {
            ensureIndex();
        } catch (StoreException e) {
            LOG.log(Level.FINE, "Text index not checked: storage unavailable; trying again later", e);
        } catch (RuntimeException e) {
            LOG.log(sweeper.isShutdown() ? Level.FINE : Level.WARNING, "Building the text index failed", e);
        }
    }

    /**
     * Deletes expired memories with their links, so that an expired memory stops counting as a mention;
     * first makes sure the text index is built.
     */
    private void sweep() {
        indexOrLater();
        if (semanticIndex() != null) {
            backfillOrLater();
        }
        try {
            int purged = purgeExpired();
            if (purged > 0) {
                LOG.fine(() -> "Deleted " + purged + " expired memories");
            }
        } catch (StoreException e) {
            LOG.log(Level.FINE, "Expired memories not swept: storage unavailable", e);
        } catch (RuntimeException e) {
            LOG.log(sweeper.isShutdown() ? Level.FINE : Level.WARNING, "Sweeping expired memories failed", e);
        }
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        Config checked = SETTINGS.read(config, properties, this.config);
        this.config = checked;
        MemorySettings settings = new MemorySettings(checked.stmTtlMs(), checked.searchDefaultLimit(),
                checked.searchMaxLimit(), checked.responseBudgetChars(), checked.searchBoostContent(),
                checked.searchBoostMetadata(), checked.searchBoostEntities(), checked.searchFusionK(),
                checked.searchTextWeight(), checked.searchSemanticWeight(), checked.searchFusionDepth(),
                checked.searchSemanticFloor());
        applySettings(settings);
        configFile.modified(properties);
        LOG.fine(() -> "Memory settings in force: " + settings);
    }
}
