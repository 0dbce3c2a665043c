package io.engram.mcp.protocol;

import java.util.Optional;

/** The MCP versions with an initialize handshake that Engram speaks, oldest first. */
enum ProtocolVersion {
    V2024_11_05("2024-11-05"),
    V2025_03_26("2025-03-26"),
    V2025_06_18("2025-06-18"),
    V2025_11_25("2025-11-25");

    static final ProtocolVersion LATEST = V2025_11_25;

    private final String wireName;

    ProtocolVersion(String wireName) {
        this.wireName = wireName;
    }

    static Optional<ProtocolVersion> fromWire(String wireName) {
        for (ProtocolVersion version : values()) {
            if (version.wireName.equals(wireName)) {
                return Optional.of(version);
            }
        }
        return Optional.empty();
    }

    boolean atLeast(ProtocolVersion other) {
        return compareTo(other) >= 0;
    }

    /** Only 2025-03-26 had JSON-RPC batches: 2025-06-18 removed them again. */
    boolean allowsBatches() {
        return this == V2025_03_26;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
