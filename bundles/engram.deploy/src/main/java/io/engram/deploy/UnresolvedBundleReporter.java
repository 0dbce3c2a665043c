package io.engram.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Says in one line which requirements of a newly installed or updated bundle nothing provides,
 * for instance {@code bundle needs.missing 1.0.0 (deploy/x.jar) cannot start: no installed bundle
 * exports package com.example.missing version [1.0.0,2.0.0)}. The framework's own resolution
 * error (which FileInstall logs) names the same thing deep inside a requirement dump.
 *
 * <p>It resolves the bundle itself, off the event thread, and asks the framework which of the
 * bundle's mandatory requirements have no provider at all. A requirement whose provider exists
 * but cannot resolve itself is left to the framework's message.
 */
@Component(immediate = true, service = {})
public final class UnresolvedBundleReporter implements BundleListener {

    private static final Logger LOG = Logger.getLogger(UnresolvedBundleReporter.class.getName());
    private static final Pattern ATTRIBUTE = Pattern.compile("\\((!?)\\(?([\\w.-]+)(>=|<=|=)([^()]*)\\)");

    private final BundleContext context;
    private final ExecutorService checker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "engram-unresolved-bundle-reporter");
        thread.setDaemon(true);
        return thread;
    });

    @Activate
    public UnresolvedBundleReporter(BundleContext context) {
        this.context = context;
        context.addBundleListener(this);
        // bundles FileInstall installed before this bundle started
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() == Bundle.INSTALLED) {
                checker.execute(() -> check(bundle));
            }
        }
    }

    @Deactivate
    void close() {
        context.removeBundleListener(this);
        checker.shutdownNow();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.INSTALLED || event.getType() == BundleEvent.UPDATED) {
            Bundle bundle = event.getBundle();
            checker.execute(() -> check(bundle));
        }
    }

    private void check(Bundle bundle) {
        try {
            FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
            if (bundle.getState() != Bundle.INSTALLED || wiring.resolveBundles(List.of(bundle))) {
                return;
            }
            BundleRevision revision = bundle.adapt(BundleRevision.class);
            if (revision == null) {
                return; // uninstalled meanwhile
            }
            List<String> missing = new ArrayList<>();
            for (BundleRequirement requirement : revision.getDeclaredRequirements(null)) {
                if (isMandatory(requirement) && wiring.findProviders(requirement).isEmpty()) {
                    missing.add(describe(requirement));
                }
            }
            if (!missing.isEmpty()) {
                LOG.warning(Plugins.describe(bundle) + " cannot start: " + String.join("; ", missing));
            }
        } catch (IllegalStateException e) {
            LOG.log(Level.FINE, "Framework stopping; resolution check of bundle " + bundle.getBundleId() + " skipped", e);
        }
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
