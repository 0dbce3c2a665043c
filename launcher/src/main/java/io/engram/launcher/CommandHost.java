package io.engram.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceListener;

/**
 * The host a one-shot command ({@code status}, {@code import}, {@code export}) starts for itself:
 * no IDE is connected (the transport reads a pipe nobody writes, its output goes nowhere), it has a
 * framework cache of its own next to any running hosts (LMDB serves many processes at once), and
 * {@link #close()} stops it.
 */
final class CommandHost implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CommandHost.class.getName());

    /** Components activate after the framework starts (configs arrive, storage opens): wait for quiet. */
    private static final Duration SETTLE_QUIET = Duration.ofMillis(750);
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(10);
    private static final Duration STOP_BUDGET = Duration.ofSeconds(5);

    private final EngramHost host;
    private final Pipe stdin;

    private CommandHost(EngramHost host, Pipe stdin) {
        this.host = host;
        this.stdin = stdin;
    }

    /**
     * Starts a host with the bundles config/bundles.list names plus {@code required} ones it leaves out
     * (for this run only), and returns once its services have settled: the settings of the config folder
     * have reached the components and every component that can activate has.
     */
    static CommandHost start(Path dataDir, Path configDir, List<String> required)
            throws IOException, BundleException, InterruptedException {
        Pipe stdin = Pipe.open();
        EngramHost host;
        try {
            // Nothing is ever written to stdin, so the host's transport waits until the host stops.
            host = EngramHost.start(dataDir, configDir, Channels.newInputStream(stdin.source()),
                    OutputStream.nullOutputStream(), required);
        } catch (IOException | BundleException | RuntimeException e) {
            closePipe(stdin);
            throw e;
        }
        CommandHost started = new CommandHost(host, stdin);
        try {
            awaitSettled(started.context());
        } catch (InterruptedException | RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** The system bundle's context: the host's bundles and services. */
    BundleContext context() {
        return host.framework().getBundleContext();
    }

    /** Waits until no service has come or gone for a moment, so that every component that can activate has. */
    private static void awaitSettled(BundleContext system) throws InterruptedException {
        AtomicLong lastChange = new AtomicLong(System.nanoTime());
        ServiceListener listener = event -> lastChange.set(System.nanoTime());
        system.addServiceListener(listener);
        try {
            long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
            while (System.nanoTime() - lastChange.get() < SETTLE_QUIET.toNanos() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            system.removeServiceListener(listener);
        }
    }

    /** Stops the host: storage drains, syncs and closes; the cache slot is given back. */
    @Override
    public void close() {
        if (!host.stop(STOP_BUDGET)) {
            LOG.warning("The command's host did not stop within " + STOP_BUDGET.toSeconds() + " s");
        }
        closePipe(stdin);
    }

    private static void closePipe(Pipe pipe) {
        try {
            pipe.sink().close();
            pipe.source().close();
        } catch (IOException e) {
            LOG.fine("Closing the command host's stdin pipe: " + e);
        }
    }
}
