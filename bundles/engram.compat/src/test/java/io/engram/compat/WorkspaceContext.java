package io.engram.compat;

import io.engram.api.tool.ToolContext;

/** A ToolContext of a session in a workspace: never cancelled, progress and logs dropped. */
record WorkspaceContext(String namespace) implements ToolContext {

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
