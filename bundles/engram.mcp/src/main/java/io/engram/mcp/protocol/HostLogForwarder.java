package io.engram.mcp.protocol;

import io.engram.api.tool.ToolContext.LogLevel;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * Sends the host's warnings and errors to the connected client as notifications/message, so an
 * IDE user sees a broken plugin or a rejected config file where they work, not only in the log.
 * Installed on the root java.util.logging logger, which the launcher, Felix, FileInstall and
 * every Engram bundle log through.
 *
 * <p>Records about the client's own traffic (this package and the stdio transport) are left
 * out: the client already gets those as error responses, and sending them could loop.
 */
public final class HostLogForwarder extends Handler {

    private static final String[] OWN_TRAFFIC = {"io.engram.mcp.protocol.", "io.engram.mcp.stdio."};

    private final McpSession session;
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final ThreadLocal<Boolean> forwarding = ThreadLocal.withInitial(() -> false);

    public HostLogForwarder(McpSession session) {
        this.session = session;
        setLevel(Level.WARNING);
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record) || isOwnTraffic(record.getLoggerName()) || forwarding.get()) {
            return;
        }
        forwarding.set(true);
        try {
            session.sendHostLog(level(record.getLevel()), loggerName(record), describe(record));
        } finally {
            forwarding.set(false);
        }
    }

    private static boolean isOwnTraffic(String logger) {
        if (logger == null) {
            return false;
        }
        for (String prefix : OWN_TRAFFIC) {
            if (logger.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static LogLevel level(Level level) {
        return level.intValue() >= Level.SEVERE.intValue() ? LogLevel.ERROR : LogLevel.WARNING;
    }

    private static String loggerName(LogRecord record) {
        String name = record.getLoggerName();
        return name == null || name.isEmpty() ? "engram" : name;
    }

    /** The message and the chain of causes, without stack traces: what went wrong, in one text. */
    private String describe(LogRecord record) {
        StringBuilder text = new StringBuilder(formatter.formatMessage(record));
        for (Throwable cause = record.getThrown(); cause != null; cause = cause.getCause()) {
            text.append(cause == record.getThrown() ? ": " : "; caused by ").append(cause);
            if (cause.getCause() == cause) {
                break;
            }
        }
        return text.toString();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
