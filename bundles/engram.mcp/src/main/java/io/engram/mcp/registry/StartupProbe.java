package io.engram.mcp.registry;

import java.util.List;

/** Tells whether the tools of the bundles started with the host are all registered yet. */
@FunctionalInterface
public interface StartupProbe {

    /** What the first tool listing still waits for, one short description each; empty once settled. */
    List<String> pending();
}
