package io.engram.memory;

import io.engram.api.store.Store;
import java.time.Clock;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The memory engine as an OSGi service, configured by the {@code engram.memory} PID and
 * working on the Store service. A settings change applies live; settings that make no sense
 * are rejected with a log message and the last good ones stay.
 */
@Component(service = MemoryEngine.class, immediate = true, configurationPid = MemoryService.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
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

    @Activate
    public MemoryService(@Reference(name = "store") Store store, Config config) {
        super(store, Clock.systemUTC(), MemorySettings.DEFAULTS);
        modified(config);
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
