package io.engram.testing;

import io.engram.api.tool.ToolContext;

/** A ToolContext for calling a tool directly in a test: never cancelled, progress and logs dropped. */
public final class QuietToolContext implements ToolContext {

    public static final ToolContext INSTANCE = new QuietToolContext();

    private QuietToolContext() {
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
