package io.engram.mcp.stdio;

import io.engram.api.config.ConfigReader;
import io.engram.mcp.metrics.CallMetrics;
import io.engram.mcp.protocol.HostLogForwarder;
import io.engram.mcp.protocol.McpSession;
import io.engram.mcp.protocol.SessionNamespace;
import io.engram.mcp.protocol.SessionSettings;
import io.engram.mcp.registry.ToolCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * MCP over the process's stdin and stdout, which the launcher registers as services with
 * {@code engram.stdio=in} and {@code engram.stdio=out}. A reader thread frames lines into one
 * {@link McpSession}; when stdin closes (the IDE is done) the whole framework stops.
 */
@Component(immediate = true, service = {}, configurationPid = StdioTransport.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StdioTransport.Config.class)
public final class StdioTransport {

    static final String PID = "engram.mcp";
    static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    static final int DEFAULT_PAGE_SIZE = 100;
    static final long DEFAULT_CALL_TIMEOUT_MS = 120_000;
    static final int DEFAULT_WORKER_THREADS = 32;
    static final long DEFAULT_STARTUP_WAIT_MS = 5000;
    static final long DEFAULT_UNLOAD_DRAIN_MS = 2000;

    /** Settings of the MCP server (config/engram.mcp.cfg). */
    @ObjectClassDefinition(name = "Engram MCP server", description = "MCP over stdio: limits, paging and tool calls.")
    public @interface Config {

        @AttributeDefinition(description = "Largest incoming message in bytes; a longer line is answered with an"
                + " error and skipped. At least 1024.")
        int maxMessageBytes() default DEFAULT_MAX_MESSAGE_BYTES;

        @AttributeDefinition(description = "Tools per tools/list page. At least 1.")
        int pageSize() default DEFAULT_PAGE_SIZE;

        @AttributeDefinition(description = "Milliseconds a tool call may run before it is cancelled and answered"
                + " as timed out. At least 1.")
        long callTimeoutMs() default DEFAULT_CALL_TIMEOUT_MS;

        @AttributeDefinition(description = "Tool calls that run at the same time; more wait their turn. At least 1.")
        int workerThreads() default DEFAULT_WORKER_THREADS;

        @AttributeDefinition(description = "Milliseconds the first tools/list waits for the tools of the bundles"
                + " started with the host. At least 0.")
        long startupWaitMs() default DEFAULT_STARTUP_WAIT_MS;

        @AttributeDefinition(description = "Milliseconds the removal of a tool (its bundle stopping, updating or"
                + " uninstalling) waits for its running calls to finish; calls still running then are cancelled and"
                + " answered 'tool X was unloaded'. At least 0.")
        long unloadDrainMs() default DEFAULT_UNLOAD_DRAIN_MS;
    }

    /** A bad value in config/engram.mcp.cfg is reported and the setting keeps its last good value. */
    static final ConfigReader<Config> SETTINGS = ConfigReader.of(Config.class)
            .atLeast("maxMessageBytes", 1024)
            .atLeast("pageSize", 1)
            .atLeast("callTimeoutMs", 1)
            .atLeast("workerThreads", 1)
            .atLeast("startupWaitMs", 0)
            .atLeast("unloadDrainMs", 0);

    private static final Logger LOG = Logger.getLogger(StdioTransport.class.getName());
    private static final long SHUTDOWN_WAIT_MS = 500;

    private final BundleContext context;
    private final ThreadPoolExecutor workers;
    private final McpSession session;
    private final LineReader reader;
    private final HostLogForwarder hostLogs;
    private volatile Config settings;
    private volatile boolean deactivated;

    @Activate
    public StdioTransport(BundleContext context, Config config, Map<String, Object> properties,
            @Reference(target = "(engram.stdio=in)") InputStream stdin,
            @Reference(target = "(engram.stdio=out)") OutputStream stdout,
            @Reference ToolCatalog catalog, @Reference CallMetrics metrics) {
        this.context = context;
        this.settings = SETTINGS.read(config, properties, SETTINGS.defaults());
        this.workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("engram-mcp-call-"));
        workers.allowCoreThreadTimeOut(true);
        this.session = new McpSession(catalog, metrics, new LineWriter(stdout), workers, sessionSettings(),
                SessionNamespace.ofHost());
        this.reader = new LineReader(stdin, settings.maxMessageBytes());
        this.hostLogs = new HostLogForwarder(session);
        Logger.getLogger("").addHandler(hostLogs);
        Thread readerThread = new Thread(this::serveUntilEof, "engram-mcp-stdin");
        readerThread.setDaemon(true);
        readerThread.start();
    }

    /** Every setting applies live, so editing the config never drops the connection. */
    @Modified
    void modified(Config config, Map<String, Object> properties) {
        Config applied = SETTINGS.read(config, properties, settings);
        settings = applied;
        reader.setMaxLineBytes(applied.maxMessageBytes());
        int threads = applied.workerThreads();
        if (threads > workers.getMaximumPoolSize()) {
            workers.setMaximumPoolSize(threads);
            workers.setCorePoolSize(threads);
        } else {
            workers.setCorePoolSize(threads);
            workers.setMaximumPoolSize(threads);
        }
        session.updateSettings(sessionSettings());
        LOG.info("MCP settings applied: " + applied);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        deactivated = true;
        Logger.getLogger("").removeHandler(hostLogs);
        // stdin cannot be interrupted: the reader thread ends at its next read (it is a daemon)
        reader.stop();
        LOG.info("Stopping tasks: " + session.callsInFlight() + " calls in flight");
        session.close();
        workers.shutdownNow();
        if (!workers.awaitTermination(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS)) {
            LOG.warning("Tool calls still running " + SHUTDOWN_WAIT_MS + " ms after cancellation: " + workers);
        }
    }

    private SessionSettings sessionSettings() {
        Config current = settings;
        return new SessionSettings(current.pageSize(), Duration.ofMillis(current.callTimeoutMs()),
                Duration.ofMillis(current.startupWaitMs()), Duration.ofMillis(current.unloadDrainMs()),
                context.getBundle().getVersion().toString());
    }

    private void serveUntilEof() {
        try {
            reader.readAll(new LineReader.Handler() {
                @Override
                public void onLine(String line) {
                    try {
                        session.handleLine(line);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "Handling an incoming message failed", e);
                    }
                }

                @Override
                public void onOversized(long limitBytes) {
                    LOG.warning("Dropped an incoming message over " + limitBytes + " bytes");
                    session.rejectOversizedMessage(limitBytes);
                }
            });
        } catch (IOException e) {
            if (!deactivated) {
                LOG.warning("Reading stdin failed: " + e);
            }
        }
        if (deactivated) {
            return;
        }
        LOG.info("stdin closed: shutting down");
        // stopping the framework deactivates this component, which must not happen on its own thread
        Thread stopper = new Thread(() -> {
            try {
                context.getBundle(Constants.SYSTEM_BUNDLE_ID).stop();
            } catch (BundleException | IllegalStateException e) {
                LOG.log(Level.WARNING, "Stopping the framework failed", e);
            }
        }, "engram-shutdown");
        stopper.start();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
