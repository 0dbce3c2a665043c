package io.engram.deploy;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Reports a DS component whose activation failed (its constructor or activate method threw),
 * naming bundle, component and SCR's failure text. SCR itself prints such failures to
 * System.out in its own format, outside java.util.logging, so without this they never reach the
 * client; a delayed Tool component that fails simply never shows up.
 *
 * <p>SCR announces no event for a failed activation: the component stays "satisfied" and only its
 * runtime DTO gains a failure text (its change count does not move either). Activations follow
 * framework events, though: a bundle starting, a service coming (a Tool service is got, so
 * activated, as soon as it is registered). So this reads every component configuration 200 ms
 * after a burst of bundle or service events, and every 10 s for an activation nothing announced
 * (a service first used later); reading them every second instead tripled the idle host's CPU
 * time. Each failure is reported once per bundle version (install or update).
 */
@Component(immediate = true, service = {})
public final class ComponentFailureReporter implements BundleListener, ServiceListener {

    private static final Logger LOG = Logger.getLogger(ComponentFailureReporter.class.getName());
    private static final long SETTLE_MS = 200;
    private static final long SCAN_INTERVAL_MS = 10_000;

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    /** Bundle versions and components already reported. Used by the scanner thread only. */
    private final Set<String> reported = new HashSet<>();
    private final AtomicBoolean scanPending = new AtomicBoolean();
    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "engram-component-failure-reporter");
        thread.setDaemon(true);
        return thread;
    });

    @Activate
    public ComponentFailureReporter(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
        context.addBundleListener(this);
        context.addServiceListener(this);
        scanner.scheduleWithFixedDelay(this::scan, 0, SCAN_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        scanSoon();
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        scanSoon();
    }

    /** One scan per burst of events, once it has settled. */
    private void scanSoon() {
        if (scanPending.compareAndSet(false, true)) {
            try {
                scanner.schedule(() -> {
                    scanPending.set(false);
                    scan();
                }, SETTLE_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // deactivated meanwhile
            }
        }
    }

    @Deactivate
    void close() {
        context.removeServiceListener(this);
        context.removeBundleListener(this);
        scanner.shutdownNow();
    }

    private void scan() {
        try {
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        report(description, configuration);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Component scan skipped (framework stopping?)", e);
        }
    }

    private void report(ComponentDescriptionDTO description, ComponentConfigurationDTO configuration) {
        Bundle bundle = context.getBundle(description.bundle.id);
        if (bundle == null) {
            return;
        }
        String key = bundle.getBundleId() + "@" + bundle.getLastModified() + "/" + description.name;
        if (reported.add(key)) {
            LOG.warning(Plugins.describe(bundle) + ": component " + description.name + " failed to activate: "
                    + summary(configuration.failure));
        }
    }

    /** SCR's failure text is a stack trace; its first line and the causes' say what went wrong. */
    static String summary(String failure) {
        if (failure == null || failure.isBlank()) {
            return "no reason given";
        }
        StringBuilder text = new StringBuilder();
        for (String line : failure.strip().split("\\R")) {
            String trimmed = line.strip();
            if (text.length() == 0) {
                text.append(trimmed);
            } else if (trimmed.startsWith("Caused by: ")) {
                text.append("; caused by ").append(trimmed.substring("Caused by: ".length()));
            }
        }
        return text.toString();
    }
}
