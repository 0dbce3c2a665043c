package io.engram.mcp.registry;

import io.engram.api.tool.Tool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongPredicate;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Startup is settled once the framework has STARTED (the launcher starts every configured
 * bundle inside {@code framework.start()}) and every enabled Tool component of an active bundle
 * has left the "unsatisfied reference" state and had its Tool service processed by the
 * registry (SCR reports a component satisfied just before its service event reaches the
 * registry). A component that requires a configuration nobody supplied will not register until
 * an admin adds one, so it does not hold up the listing.
 */
final class ComponentStartupProbe implements StartupProbe {

    private final BundleContext context;
    private final ServiceComponentRuntime scr;

    private final LongPredicate registrySawService;

    ComponentStartupProbe(BundleContext context, ServiceComponentRuntime scr, LongPredicate registrySawService) {
        this.context = context;
        this.scr = scr;
        this.registrySawService = registrySawService;
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
                } else if (configuration.state != ComponentConfigurationDTO.FAILED_ACTIVATION
                        && !toolServiceSeen(configuration.id)) {
                    pending.add("component " + description.name + " of bundle " + description.bundle.symbolicName
                            + " (registering its tool)");
                }
            }
        }
        return pending;
    }

    private boolean toolServiceSeen(long componentId) {
        try {
            ServiceReference<?>[] references =
                    context.getAllServiceReferences(Tool.class.getName(), "(component.id=" + componentId + ")");
            if (references == null) {
                return false;
            }
            for (ServiceReference<?> reference : references) {
                if (!registrySawService.test((Long) reference.getProperty(Constants.SERVICE_ID))) {
                    return false;
                }
            }
            return true;
        } catch (InvalidSyntaxException impossible) {
            throw new IllegalStateException(impossible);
        }
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
