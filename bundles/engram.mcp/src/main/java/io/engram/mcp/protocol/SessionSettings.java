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
 * @param clientRequestTimeout how long the server waits for the client's answer to a request of its own
 *     ({@code roots/list}) before going on without it
 */
public record SessionSettings(int pageSize, Duration callTimeout, Duration startupWait, Duration unloadDrain,
        String serverVersion, Duration clientRequestTimeout) {

    /** Clients answer roots/list at once; one that has not after this long is not going to. */
    public static final Duration DEFAULT_CLIENT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    public SessionSettings(int pageSize, Duration callTimeout, Duration startupWait, Duration unloadDrain,
            String serverVersion) {
        this(pageSize, callTimeout, startupWait, unloadDrain, serverVersion, DEFAULT_CLIENT_REQUEST_TIMEOUT);
    }

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
        if (clientRequestTimeout.isNegative() || clientRequestTimeout.isZero()) {
            throw new IllegalArgumentException("clientRequestTimeout must be positive, got "
                    + clientRequestTimeout.toMillis() + " ms");
        }
    }
}
