package io.engram.kg;

import io.engram.api.config.ConfigReader;
import io.engram.api.store.DynamicStore;
import io.engram.api.store.Store;
import java.time.Clock;
import java.util.Map;
import java.util.logging.Logger;
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
 * The kg engine as an OSGi service for the kg tools, configured by the {@code engram.kg} PID and
 * working on the Store service. A settings change applies live; a value that makes no sense is
 * reported naming the file and that setting keeps its last good value.
 */
@Component(service = KgEngine.class, immediate = true, configurationPid = KgService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = KgService.Config.class)
public class KgService extends KgEngine {

    /** The configuration PID (config/engram.kg.cfg). */
    public static final String PID = "engram.kg";

    private static final Logger LOG = Logger.getLogger(KgService.class.getName());

    /** Settings of the kg tools. */
    @ObjectClassDefinition(name = "Engram knowledge graph", description = "Settings of the kg tools")
    public @interface Config {

        @AttributeDefinition(description = "Characters of items a list or read answer holds at most before it stops"
                + " with truncated: true and a nextCursor")
        int responseBudgetChars() default 8_000;

        @AttributeDefinition(description = "The largest limit a kg list or read call accepts")
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

    @Activate
    public KgService(Config config, Map<String, Object> properties) {
        this(new DynamicStore(STORE_WAIT_MS), config, properties);
    }

    private KgService(DynamicStore storage, Config config, Map<String, Object> properties) {
        super(storage, Clock.systemUTC(), KgSettings.DEFAULTS);
        this.storage = storage;
        modified(config, properties);
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
        KgSettings settings = new KgSettings(checked.responseBudgetChars(), checked.maxLimit());
        applySettings(settings);
        LOG.fine(() -> "Knowledge graph settings in force: " + settings);
    }
}
