package io.engram.mcp.protocol;

import java.time.Duration;

/**
 * The tunable parts of a session.
 *
 * @param pageSize tools per {@code tools/list} page
 * @param callTimeout how long a tool call may run before it is cancelled and answered as timed out
 * @param startupWait how long the first {@code tools/list} waits for the tools of the bundles started with the host
 * @param unloadDrain how long removing a tool waits for its running calls before they are cancelled and answered
 *     as unloaded
 * @param serverVersion the version reported in {@code serverInfo}
 */
public record SessionSettings(int pageSize, Duration callTimeout, Duration startupWait, Duration unloadDrain,
        String serverVersion) {

    public SessionSettings {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1, got " + pageSize);
        }
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive, got " + callTimeout.toMillis() + " ms");
        }
        if (startupWait.isNegative()) {
            throw new IllegalArgumentException("startupWait must not be negative, got " + startupWait.toMillis() + " ms");
        }
        if (unloadDrain.isNegative()) {
            throw new IllegalArgumentException("unloadDrain must not be negative, got " + unloadDrain.toMillis() + " ms");
        }
    }
}
