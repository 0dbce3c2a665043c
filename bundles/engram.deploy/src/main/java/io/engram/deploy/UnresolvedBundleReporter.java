package io.engram.deploy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Says in one line which requirements of a bundle that cannot resolve nothing provides, for
 * instance {@code bundle needs.missing 1.0.0 (deploy/x.jar) cannot start: no installed bundle
 * exports package com.example.missing version [1.0.0,2.0.0)}. The framework's own resolution
 * error (which FileInstall logs) names the same thing deep inside a requirement dump.
 *
 * <p>Once a second it looks at the bundles someone asked to start (FileInstall starts every
 * deployed bundle) that are still only installed, and asks the framework which of their
 * mandatory requirements have no provider at all ({@link FrameworkWiring#findProviders}, which
 * takes no framework lock). A bundle is reported when that holds on two looks in a row, once per
 * bundle version: FileInstall installs the jars of one scan one after the other before starting
 * them, so for a moment a bundle's provider may be missing only because it comes next. It never
 * resolves anything itself: a resolve racing the framework's own update of a bundle makes that
 * update fail. A requirement whose provider exists but cannot resolve is left to the framework's
 * message.
 */
@Component(immediate = true, service = {})
public final class UnresolvedBundleReporter {

    private static final Logger LOG = Logger.getLogger(UnresolvedBundleReporter.class.getName());
    private static final Pattern ATTRIBUTE = Pattern.compile("\\((!?)\\(?([\\w.-]+)(>=|<=|=)([^()]*)\\)");
    private static final long SCAN_INTERVAL_MS = 1000;

    private final BundleContext context;
    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "engram-unresolved-bundle-reporter");
        thread.setDaemon(true);
        return thread;
    });
    /** Bundle versions found unresolvable on the previous look. Used by the scanner thread only. */
    private Set<String> suspects = Set.of();
    private final Set<String> reported = new HashSet<>();

    @Activate
    public UnresolvedBundleReporter(BundleContext context) {
        this.context = context;
        scanner.scheduleWithFixedDelay(this::scan, 0, SCAN_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void close() {
        scanner.shutdownNow();
    }

    private void scan() {
        try {
            FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
            Set<String> unresolvable = new HashSet<>();
            for (Bundle bundle : context.getBundles()) {
                if (bundle.getState() != Bundle.INSTALLED || !startRequested(bundle)) {
                    continue;
                }
                List<String> missing = missingRequirements(bundle, wiring);
                String version = bundle.getBundleId() + "@" + bundle.getLastModified();
                if (missing.isEmpty()) {
                    continue;
                }
                unresolvable.add(version);
                if (suspects.contains(version) && reported.add(version)) {
                    LOG.warning(Plugins.describe(bundle) + " cannot start: " + String.join("; ", missing));
                }
            }
            suspects = unresolvable;
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Resolution check skipped (framework stopping?)", e);
        }
    }

    private static boolean startRequested(Bundle bundle) {
        BundleStartLevel startLevel = bundle.adapt(BundleStartLevel.class);
        return startLevel != null && startLevel.isPersistentlyStarted();
    }

    private static List<String> missingRequirements(Bundle bundle, FrameworkWiring wiring) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        List<String> missing = new ArrayList<>();
        if (revision != null) {
            for (BundleRequirement requirement : revision.getDeclaredRequirements(null)) {
                if (isMandatory(requirement) && wiring.findProviders(requirement).isEmpty()) {
                    missing.add(describe(requirement));
                }
            }
        }
        return missing;
    }

    private static boolean isMandatory(BundleRequirement requirement) {
        String resolution = requirement.getDirectives().get(Constants.RESOLUTION_DIRECTIVE);
        String effective = requirement.getDirectives().get(Constants.EFFECTIVE_DIRECTIVE);
        return !Constants.RESOLUTION_OPTIONAL.equals(resolution)
                && (effective == null || Constants.EFFECTIVE_RESOLVE.equals(effective));
    }

    /** The requirement in words: the name it asks for and the versions it accepts. */
    static String describe(BundleRequirement requirement) {
        return describe(requirement.getNamespace(), requirement.getDirectives().get(Constants.FILTER_DIRECTIVE));
    }

    /** A filter of the usual shape (the name, then version bounds, and-ed) in words; any other as it is. */
    static String describe(String namespace, String filter) {
        String asIs = "nothing provides " + namespace + (filter == null ? "" : " " + filter);
        if (filter == null || filter.contains("(|") || filter.contains("*")) {
            return asIs;
        }
        String name = null;
        String low = null;
        String high = null;
        Matcher attribute = ATTRIBUTE.matcher(filter);
        while (attribute.find()) {
            boolean negated = !attribute.group(1).isEmpty();
            String key = attribute.group(2);
            String operator = attribute.group(3);
            String value = attribute.group(4);
            if (key.equals(namespace) && operator.equals("=") && !negated && name == null) {
                name = value;
            } else if ((key.equals("version") || key.equals("bundle-version")) && operator.equals(">=")) {
                if (negated) {
                    high = value + ")";
                } else {
                    low = "[" + value;
                }
            } else if ((key.equals("version") || key.equals("bundle-version")) && operator.equals("<=")) {
                if (negated) {
                    low = "(" + value;
                } else {
                    high = value + "]";
                }
            } else {
                return asIs;
            }
        }
        if (name == null) {
            return asIs;
        }
        String versions = low == null && high == null ? ""
                : high == null ? " version " + (low.startsWith("[") ? low.substring(1) + " or later" : "above " + low.substring(1))
                : " version " + (low == null ? "[0.0.0" : low) + "," + high;
        return switch (namespace) {
            case PackageNamespace.PACKAGE_NAMESPACE -> "no installed bundle exports package " + name + versions;
            case BundleNamespace.BUNDLE_NAMESPACE -> "no installed bundle is " + name + versions;
            case HostNamespace.HOST_NAMESPACE -> "its fragment host " + name + versions + " is not installed";
            default -> "nothing provides " + namespace + " " + name + versions;
        };
    }
}
