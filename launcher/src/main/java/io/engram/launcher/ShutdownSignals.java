package io.engram.launcher;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the host cleanly (storage drains, syncs and closes); a second
 * signal exits at once. Whatever starts the stop (a signal, or stdin closing), a watchdog
 * ends the process if stopping takes longer than the IDE will wait.
 */
final class ShutdownSignals {

    private static final Logger LOG = Logger.getLogger(ShutdownSignals.class.getName());

    /** IDEs (the TypeScript SDK) send SIGKILL 2 s after SIGTERM; a normal stop finishes before that. */
    static final long STOP_BUDGET_MS = 1800;

    /**
     * How long a stop may take at most before the process exits anyway. Past the budget a bundle is still in
     * work no interrupt reaches, such as the semantic bundle loading its model in native code: a JVM that
     * exits under it crashes there and prints its crash banner on stdout. An IDE that kills the process at 2 s
     * loses nothing by the wait (every acknowledged write is committed); a client that only closes stdin
     * gets a clean exit a little later.
     */
    static final long STOP_LIMIT_MS = 7000;

    private final EngramHost host;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean signalled = new AtomicBoolean();
    private volatile boolean disarmed;

    private ShutdownSignals(EngramHost host) {
        this.host = host;
    }

    static ShutdownSignals install(EngramHost host) {
        ShutdownSignals signals = new ShutdownSignals(host);
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signals::onSignal);
            } catch (IllegalArgumentException unsupported) {
                LOG.fine("Signal SIG" + name + " cannot be handled on this platform");
            }
        }
        host.framework().getBundleContext().addBundleListener((SynchronousBundleListener) event -> {
            if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING) {
                signals.startWatchdog();
            }
        });
        return signals;
    }

    private void onSignal(Signal signal) {
        if (!signalled.compareAndSet(false, true)) {
            LOG.warning("Second signal SIG" + signal.getName() + " received: exiting now");
            Runtime.getRuntime().halt(128 + signal.getNumber());
            return;
        }
        LOG.info("Signal SIG" + signal.getName() + " received: shutting down");
        Thread stopper = new Thread(() -> host.stop(Duration.ofMillis(STOP_BUDGET_MS)), "engram-shutdown");
        stopper.setDaemon(true);
        stopper.start();
    }

    private void startWatchdog() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(STOP_LIMIT_MS + 100);
            } catch (InterruptedException e) {
                return;
            }
            if (!disarmed && (host.framework().getState() & Bundle.RESOLVED) == 0) {
                LOG.warning("Shutdown did not finish within " + STOP_LIMIT_MS
                        + " ms; exiting (committed writes are on disk)");
                Runtime.getRuntime().halt(1);
            }
        }, "engram-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    void disarm() {
        disarmed = true;
    }
}
