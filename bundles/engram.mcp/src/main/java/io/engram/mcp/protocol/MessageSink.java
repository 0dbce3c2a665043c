package io.engram.mcp.protocol;

/** Where a session's outgoing messages go; the transport decides how they travel. */
@FunctionalInterface
public interface MessageSink {

    /**
     * Sends one complete JSON text (no line break inside or after). Called from many threads;
     * implementations keep messages whole.
     */
    void send(String json);
}
