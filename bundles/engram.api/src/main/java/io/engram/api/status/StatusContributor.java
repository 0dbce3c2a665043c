package io.engram.api.status;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A section of {@code system_status}, contributed by whichever bundle knows it (the server its
 * call statistics, the memory family its STM/LTM counts). Register as an OSGi service; the
 * system tools merge every contributor's section into their answer.
 */
@ConsumerType
public interface StatusContributor {

    /** The section's key in the status object, e.g. {@code "metrics"}; lowercase, unique. */
    String section();

    /**
     * The section's content: a JSON object as maps, lists, strings, numbers and booleans.
     * Called on demand; must be quick and must not block on storage for long.
     */
    Map<String, Object> status();

    /** True when this section considers the host degraded (it then says why in its content). */
    default boolean degraded() {
        return false;
    }
}
