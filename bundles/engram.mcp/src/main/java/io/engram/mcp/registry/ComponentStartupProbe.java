package io.engram.mcp.registry;

import io.engram.api.tool.Tool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.LongPredicate;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Startup is settled once every bundle marked to start that may bring tools is active (the
 * launcher starts every configured bundle inside {@code framework.start()}) and every enabled Tool component of an active bundle
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
            List<String> starting = toolBundlesStillStarting();
            if (!starting.isEmpty()) {
                return starting;
            }
        }
        List<String> pending = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() != Bundle.ACTIVE || !mayProvideTools(bundle)) {
                continue;
            }
            Collection<ComponentDescriptionDTO> descriptions = scr.getComponentDescriptionDTOs(bundle);
            if (descriptions.size() < componentFiles(bundle)) {
                // SCR takes an active bundle's components up one by one on its own thread; not done yet.
                pending.add("SCR to load the components of bundle " + bundle.getSymbolicName());
                continue;
            }
            for (ComponentDescriptionDTO description : descriptions) {
                if (!providesTool(description)) {
                    continue;
                }
                if (scr.isComponentEnabled(description)) {
                    pending.addAll(pendingConfigurations(description));
                } else if (description.defaultEnabled) {
                    // SCR enables components after loading them; one disabled on purpose costs the bounded wait.
                    pending.add("component " + description.name + " of bundle " + bundle.getSymbolicName()
                            + " (being enabled)");
                }
            }
        }
        return pending;
    }

    private List<String> pendingConfigurations(ComponentDescriptionDTO description) {
        String component = "component " + description.name + " of bundle " + description.bundle.symbolicName;
        Collection<ComponentConfigurationDTO> configurations = scr.getComponentConfigurationDTOs(description);
        if (configurations.isEmpty()) {
            // None yet: SCR is still setting it up, unless it waits for a configuration nobody supplied.
            return "require".equals(description.configurationPolicy) ? List.of() : List.of(component + " (starting)");
        }
        List<String> pending = new ArrayList<>();
        for (ComponentConfigurationDTO configuration : configurations) {
            if (configuration.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                pending.add(component + " (unsatisfied reference)");
            } else if (configuration.state != ComponentConfigurationDTO.FAILED_ACTIVATION
                    && !toolServiceSeen(configuration.id)) {
                pending.add(component + " (registering its tool)");
            }
        }
        return pending;
    }

    /**
     * While the framework is starting: the bundles marked to start that are not active yet and
     * may bring tools. A bundle built by bnd declares its DS services as {@code osgi.service}
     * capabilities, so one that declares no Tool is not waited for (storage, for instance, which
     * starts last); one with components but no such declarations is waited for, to be safe.
     */
    private List<String> toolBundlesStillStarting() {
        List<String> starting = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getBundleId() == Constants.SYSTEM_BUNDLE_ID || bundle.getState() == Bundle.ACTIVE) {
                continue;
            }
            BundleStartLevel startLevel = bundle.adapt(BundleStartLevel.class);
            if (startLevel != null && startLevel.isPersistentlyStarted() && mayProvideTools(bundle)) {
                starting.add("bundle " + bundle.getSymbolicName() + " to start");
            }
        }
        return starting;
    }

    /** The component descriptions the bundle's Service-Component header names (bnd writes one per file). */
    private static int componentFiles(Bundle bundle) {
        String header = bundle.getHeaders("").get("Service-Component");
        return header == null ? 0 : (int) Arrays.stream(header.split(",")).filter(s -> !s.isBlank()).count();
    }

    private static boolean mayProvideTools(Bundle bundle) {
        if (bundle.getHeaders("").get("Service-Component") == null) {
            return false;
        }
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        List<BundleCapability> services =
                revision == null ? List.of() : revision.getDeclaredCapabilities("osgi.service");
        if (services.isEmpty()) {
            return true;
        }
        for (BundleCapability service : services) {
            Object classes = service.getAttributes().get("objectClass");
            if (classes instanceof List<?> names && names.contains(Tool.class.getName())) {
                return true;
            }
        }
        return false;
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

}
