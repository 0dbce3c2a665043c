package io.engram.memory;

import io.engram.api.store.Store;
import java.time.Clock;
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
 * The memory engine as an OSGi service, configured by the {@code engram.memory} PID and
 * working on the Store service. A settings change applies live; settings that make no sense
 * are rejected with a log message and the last good ones stay.
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
    }

    /** How long a call waits for the Store service while the storage bundle restarts. */
    static final long STORE_WAIT_MS = 5_000;

    private final StoreHandle storeHandle;

    @Activate
    public MemoryService(Config config) {
        this(new StoreHandle(STORE_WAIT_MS), config);
    }

    private MemoryService(StoreHandle storeHandle, Config config) {
        super(storeHandle, Clock.systemUTC(), MemorySettings.DEFAULTS);
        this.storeHandle = storeHandle;
        modified(config);
    }

    // Dynamic and optional: the service (and so the tools) stay while storage restarts.
    @Reference(name = "store", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStore(Store store) {
        storeHandle.set(store);
    }

    void unbindStore(Store store) {
        storeHandle.unset(store);
    }

    @Modified
    void modified(Config config) {
        try {
            MemorySettings settings = new MemorySettings(config.stmTtlMs(), config.searchDefaultLimit(),
                    config.searchMaxLimit());
            applySettings(settings);
            LOG.fine(() -> "Memory settings in force: " + settings);
        } catch (IllegalArgumentException e) {
            LOG.severe("Rejected settings of " + PID + ": " + e.getMessage() + "; keeping " + settings());
        }
    }
}
