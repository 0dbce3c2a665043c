package io.engram.mcp.registry;

import io.engram.api.tool.Tool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * The whiteboard of {@link Tool} services: every Tool service that passes the checks is listed
 * under its name; of two with one name the higher service ranking (then the older service)
 * wins. Listeners hear of changes once per burst, so a bundle bringing ten tools causes one
 * {@code notifications/tools/list_changed}, not ten.
 */
@Component(immediate = true, service = ToolCatalog.class)
public final class ToolRegistry implements ToolCatalog {

    private static final Logger LOG = Logger.getLogger(ToolRegistry.class.getName());
    private static final long DEBOUNCE_MS = 50;
    private static final long STARTUP_POLL_MS = 5;
    private static final Comparator<ToolDescriptor> PRECEDENCE =
            (a, b) -> a.origin().outranks(b.origin()) ? -1 : b.origin().outranks(a.origin()) ? 1 : 0;

    private final StartupProbe startupProbe;
    private final ScheduledExecutorService notifier = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "engram-tool-registry");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    /** Every valid registration by name, best first. Guarded by {@link #lock}. */
    private final Map<String, List<ToolDescriptor>> registrations = new HashMap<>();
    /** Guarded by {@link #lock}. */
    private ScheduledFuture<?> pendingNotice;
    /** The winner of each name, sorted by name; replaced whole on each change. */
    private volatile Map<String, ToolDescriptor> listed = new TreeMap<>();
    private volatile boolean startupSettled;
    /** Service ids of every Tool service this registry has processed, listed or rejected. */
    private final Set<Long> seenServiceIds = ConcurrentHashMap.newKeySet();

    /** The DS constructor: startup is judged by the framework state and SCR's component states. */
    @Activate
    public ToolRegistry(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.startupProbe = new ComponentStartupProbe(context, scr, this::hasSeen);
    }

    /** A registry outside OSGi, with its own idea of when startup is settled. */
    public ToolRegistry(StartupProbe startupProbe) {
        this.startupProbe = startupProbe;
    }

    @Reference(service = Tool.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTool(Tool tool, ServiceReference<Tool> reference) {
        add(tool, originOf(reference));
    }

    void updatedTool(Tool tool, ServiceReference<Tool> reference) {
        // the ranking may have changed, which can change the winner of a name; the service stays, so its calls run on
        ToolOrigin origin = originOf(reference);
        unlist(origin.serviceId());
        add(tool, origin);
    }

    /** Runs on the thread stopping the tool's bundle, whose classes stay usable until this returns: the drain. */
    void unbindTool(Tool tool, ServiceReference<Tool> reference) {
        remove(originOf(reference).serviceId());
    }

    @Deactivate
    public void close() {
        notifier.shutdownNow();
    }

    /** Adds a tool service; an invalid one is logged at WARNING and not listed. */
    public void add(Tool tool, ToolOrigin origin) {
        ToolDescriptor descriptor;
        try {
            descriptor = ToolDescriptor.read(tool, origin);
        } catch (InvalidToolException e) {
            LOG.warning("Ignoring a tool of bundle " + origin.bundle() + ": " + e.getMessage());
            seenServiceIds.add(origin.serviceId());
            return;
        }
        synchronized (lock) {
            List<ToolDescriptor> sameName = registrations.computeIfAbsent(descriptor.name(), n -> new ArrayList<>());
            sameName.add(descriptor);
            sameName.sort(PRECEDENCE);
            if (sameName.size() > 1) {
                ToolDescriptor winner = sameName.get(0);
                ToolDescriptor loser = winner == descriptor ? sameName.get(1) : descriptor;
                LOG.warning("Tool " + descriptor.name() + " is registered by " + winner.origin() + " and by "
                        + loser.origin() + "; listing the one of " + winner.origin().bundle()
                        + " (higher service ranking, then older service)");
            }
            relist();
        }
        seenServiceIds.add(origin.serviceId());
    }

    /** Whether the Tool service with this id has been processed (listed, outranked or rejected). */
    boolean hasSeen(long serviceId) {
        return seenServiceIds.contains(serviceId);
    }

    /**
     * Removes the tool service with this service id, if present: new calls find no such tool at
     * once, calls running on it get their drain time to finish, and those still running after it
     * are cancelled and answered that the tool was unloaded. Returns after that.
     */
    public void remove(long serviceId) {
        ToolDescriptor removed = unlist(serviceId);
        if (removed == null) {
            return;
        }
        int running = removed.callsInFlight();
        if (running > 0) {
            LOG.info("Tool " + removed + " is leaving; waiting for " + running + " running calls");
        }
        List<RunningCall> unfinished = removed.retire();
        if (!unfinished.isEmpty()) {
            LOG.warning("Tool " + removed + " left with " + unfinished.size()
                    + " calls still running; cancelling them");
            unfinished.forEach(RunningCall::unloaded);
        }
    }

    /** Takes the tool service with this id out of the listing; returns it, or null when absent. */
    private ToolDescriptor unlist(long serviceId) {
        seenServiceIds.remove(serviceId);
        synchronized (lock) {
            for (List<ToolDescriptor> sameName : registrations.values()) {
                for (ToolDescriptor descriptor : sameName) {
                    if (descriptor.origin().serviceId() == serviceId) {
                        sameName.remove(descriptor);
                        registrations.values().removeIf(List::isEmpty);
                        relist();
                        return descriptor;
                    }
                }
            }
        }
        return null;
    }

    private void relist() {
        Map<String, ToolDescriptor> winners = new TreeMap<>();
        registrations.forEach((name, sameName) -> winners.put(name, sameName.get(0)));
        if (!sameWinners(winners, listed)) {
            listed = winners;
            scheduleNotice();
        }
    }

    private static boolean sameWinners(Map<String, ToolDescriptor> a, Map<String, ToolDescriptor> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, ToolDescriptor> entry : a.entrySet()) {
            if (b.get(entry.getKey()) != entry.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Restarts the quiet-period timer, so a burst of changes ends in one notice. Caller holds {@link #lock}. */
    private void scheduleNotice() {
        if (pendingNotice != null) {
            pendingNotice.cancel(false);
        }
        if (!notifier.isShutdown()) {
            pendingNotice = notifier.schedule(this::notifyListeners, DEBOUNCE_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void notifyListeners() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A tool list listener failed", e);
            }
        }
    }

    @Override
    public List<ToolDescriptor> tools() {
        return List.copyOf(listed.values());
    }

    @Override
    public Optional<ToolDescriptor> find(String nameOrAlias) {
        Map<String, ToolDescriptor> current = listed;
        ToolDescriptor found = current.get(nameOrAlias);
        int dot = nameOrAlias.indexOf('.');
        // memory.add -> memory_add: an alias is the canonical name with its FIRST underscore made a dot
        if (found == null && dot >= 0 && nameOrAlias.lastIndexOf('_', dot) < 0) {
            found = current.get(nameOrAlias.substring(0, dot) + '_' + nameOrAlias.substring(dot + 1));
        }
        return Optional.ofNullable(found);
    }

    @Override
    public void addChangeListener(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void removeChangeListener(Runnable listener) {
        listeners.remove(listener);
    }

    @Override
    public boolean awaitStartup(Duration maxWait) throws InterruptedException {
        if (startupSettled) {
            return true;
        }
        long start = System.nanoTime();
        long deadline = start + maxWait.toNanos();
        List<String> pending = pendingAtStartup();
        while (!pending.isEmpty()) {
            if (System.nanoTime() - deadline >= 0) {
                startupSettled = true;
                LOG.warning("Listing tools after waiting " + maxWait.toMillis() + " ms; still waiting for: "
                        + String.join(", ", pending));
                return false;
            }
            Thread.sleep(STARTUP_POLL_MS);
            pending = pendingAtStartup();
        }
        if (!startupSettled) {
            startupSettled = true;
            LOG.fine(() -> "Tools settled " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                    + " ms into the first listing");
        }
        return true;
    }

    private List<String> pendingAtStartup() {
        try {
            return startupProbe.pending();
        } catch (RuntimeException e) {
            // the framework is going away; waiting longer cannot help
            LOG.log(Level.FINE, "Startup probe failed", e);
            return List.of();
        }
    }

    @Override
    public boolean callStarted(ToolDescriptor tool, RunningCall call) {
        return tool.callStarted(call);
    }

    @Override
    public void callFinished(ToolDescriptor tool, RunningCall call) {
        tool.callFinished(call);
    }

    @Override
    public int callsInFlight(String name) {
        synchronized (lock) {
            List<ToolDescriptor> sameName = registrations.getOrDefault(name, List.of());
            return sameName.stream().mapToInt(ToolDescriptor::callsInFlight).sum();
        }
    }

    private static ToolOrigin originOf(ServiceReference<Tool> reference) {
        Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
        Bundle bundle = reference.getBundle();
        return new ToolOrigin((Long) reference.getProperty(Constants.SERVICE_ID),
                ranking instanceof Integer r ? r : 0,
                bundle == null ? "an unregistered bundle" : bundle.getSymbolicName());
    }
}
