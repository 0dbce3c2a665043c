package io.engram.api.tool;

/**
 * What the host offers a running call: cancellation, progress and logging to the client.
 * Valid only during the call it was passed to.
 */
@org.osgi.annotation.versioning.ProviderType
public interface ToolContext {

    /** True once the client cancelled the request or the host is unloading the tool. */
    boolean isCancelled();

    /** Throws {@link CancelledException} when {@link #isCancelled()} is true. */
    default void throwIfCancelled() {
        if (isCancelled()) {
            throw new CancelledException();
        }
    }

    /**
     * Reports progress to the client when it asked for it (a progress token); otherwise
     * does nothing. {@code progress} must grow from call to call; {@code total} may be null.
     */
    void progress(double progress, Double total, String message);

    /**
     * Sends a log message to the client (notifications/message) when its level is at or
     * above what the client set with logging/setLevel; also logs it on the host's stderr.
     */
    void log(LogLevel level, String message);

    /**
     * The namespace of the client's workspace: where this call stores what it creates unless its
     * arguments name another, and which it searches beside {@link #GLOBAL_NAMESPACE}. The host
     * takes it from the client's MCP roots, else the ENGRAM_NAMESPACE environment variable, else
     * the host's working directory. It may change between calls (the client's roots changed),
     * never during one.
     */
    default String namespace() {
        return GLOBAL_NAMESPACE;
    }

    /** The namespace shared by every workspace: knowledge meant for all projects. */
    String GLOBAL_NAMESPACE = "global";

    /** Log levels of MCP (RFC 5424 severities). */
    enum LogLevel {
        DEBUG, INFO, NOTICE, WARNING, ERROR, CRITICAL, ALERT, EMERGENCY;

        /** The lowercase name used on the wire. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Thrown by {@link #throwIfCancelled()}. */
    class CancelledException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CancelledException() {
            super("cancelled");
        }
    }
}
