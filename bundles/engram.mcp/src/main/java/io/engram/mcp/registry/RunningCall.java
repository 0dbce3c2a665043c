package io.engram.mcp.registry;

import java.time.Duration;

/**
 * A tool call in flight, as the registry sees it when the call's tool is removed (its bundle
 * leaves): the registry waits for the call at most {@link #unloadDrain()}, then {@link #unloaded()}.
 */
public interface RunningCall {

    /** How long removing the tool may wait for this call to finish. */
    Duration unloadDrain();

    /**
     * The call outlasted the drain of its removed tool: cancel it and answer that the tool was
     * unloaded. Called at most once, never on the call's own thread.
     */
    void unloaded();
}
