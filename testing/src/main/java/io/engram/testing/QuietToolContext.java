package io.engram.testing;

import io.engram.api.tool.ToolContext;

/**
 * A ToolContext for calling a tool directly in a test: never cancelled, progress and logs dropped,
 * in the global namespace unless made {@link #inNamespace in another}.
 */
public final class QuietToolContext implements ToolContext {

    public static final ToolContext INSTANCE = new QuietToolContext(GLOBAL_NAMESPACE);

    private final String namespace;

    private QuietToolContext(String namespace) {
        this.namespace = namespace;
    }

    /** A context whose workspace is {@code namespace}. */
    public static ToolContext inNamespace(String namespace) {
        return new QuietToolContext(namespace);
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public void progress(double progress, Double total, String message) {
        // not reported in tests
    }

    @Override
    public void log(LogLevel level, String message) {
        // not reported in tests
    }
}
