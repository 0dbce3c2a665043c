package io.engram.api.tool;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One MCP tool, registered as an OSGi service. The host's registry picks up every Tool
 * service, lists it in {@code tools/list} and routes {@code tools/call} to it.
 *
 * <p>The descriptive methods are read once when the service appears; return constants.
 * {@link #call} runs on a host worker thread, possibly concurrently with other calls.
 */
@ConsumerType
public interface Tool {

    /** Canonical name, {@code family_action}, matching {@code [a-zA-Z0-9_-]{1,64}}. */
    String name();

    /** Short human-readable title, or null. */
    default String title() {
        return null;
    }

    /** What the tool does, written for a model choosing among tools. */
    String description();

    /**
     * JSON Schema of the arguments as JSON text, an object schema. Keep to the portable
     * subset: type, properties, required, description, enum, items, default.
     */
    String inputSchema();

    /**
     * JSON Schema of {@link ToolResult#structuredContent()} as JSON text, or null when the
     * tool returns only text. A tool that declares one must return conforming content.
     */
    default String outputSchema() {
        return null;
    }

    /** Behaviour hints shown to clients. */
    default ToolAnnotations annotations() {
        return ToolAnnotations.NONE;
    }

    /**
     * Runs the tool. Throw {@link InvalidArgumentException} for a bad argument; any other
     * exception becomes an error result naming the tool. Check
     * {@link ToolContext#isCancelled()} in long loops.
     */
    ToolResult call(Arguments arguments, ToolContext context) throws Exception;
}
