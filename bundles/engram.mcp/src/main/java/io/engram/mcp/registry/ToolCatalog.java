package io.engram.mcp.registry;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The view of the registered tools that an MCP session needs: listing, lookup, change
 * notices, the startup wait and the running calls, which removing their tool drains.
 */
public interface ToolCatalog {

    /** The listed tools, sorted by name. */
    List<ToolDescriptor> tools();

    /** The tool with this canonical name ({@code memory_add}) or dotted alias ({@code memory.add}). */
    Optional<ToolDescriptor> find(String nameOrAlias);

    /** Runs {@code listener} once after each burst of changes to the listing. */
    void addChangeListener(Runnable listener);

    void removeChangeListener(Runnable listener);

    /**
     * Waits, at most {@code maxWait}, until the tools of the bundles started with the host are
     * registered. Only the first wait can take time: afterwards it returns at once.
     *
     * @return true when settled, false when the wait ran out
     */
    boolean awaitStartup(Duration maxWait) throws InterruptedException;

    /**
     * Counts {@code call} of {@code tool} as running, so removing the tool drains or unloads it.
     *
     * @return false when the tool was removed meanwhile: the call must not run
     */
    boolean callStarted(ToolDescriptor tool, RunningCall call);

    /** Counts {@code call} of {@code tool} as finished. */
    void callFinished(ToolDescriptor tool, RunningCall call);

    /** Calls now running of the tool with this canonical name, 0 when there is none. */
    int callsInFlight(String name);
}
