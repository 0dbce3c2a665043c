package io.engram.mcp.registry;

import io.engram.api.tool.Tool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Startup is settled once the framework has STARTED (the launcher starts every configured
 * bundle inside {@code framework.start()}) and every enabled Tool component of an active bundle
 * has left the "unsatisfied reference" state. A component that requires a configuration nobody
 * supplied will not register until an admin adds one, so it does not hold up the listing.
 */
final class ComponentStartupProbe implements StartupProbe {

    private final BundleContext context;
    private final ServiceComponentRuntime scr;

    ComponentStartupProbe(BundleContext context, ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
    }

    @Override
    public List<String> pending() {
        if (context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() != Bundle.ACTIVE) {
            return List.of("the framework to finish starting");
        }
        List<String> pending = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!providesTool(description) || !bundleActive(description) || !scr.isComponentEnabled(description)) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                    pending.add("component " + description.name + " of bundle " + description.bundle.symbolicName
                            + " (unsatisfied reference)");
                }
            }
        }
        return pending;
    }

    private static boolean providesTool(ComponentDescriptionDTO description) {
        return description.serviceInterfaces != null
                && Arrays.asList(description.serviceInterfaces).contains(Tool.class.getName());
    }

    private boolean bundleActive(ComponentDescriptionDTO description) {
        Bundle bundle = context.getBundle(description.bundle.id);
        return bundle != null && bundle.getState() == Bundle.ACTIVE;
    }
}
