package io.engram.api.tool;

import java.util.Map;
import java.util.Objects;

/**
 * What a tool call returns: a text block, structured content (a JSON object as nested
 * maps, lists, strings, numbers, booleans and nulls), or both; and whether it is an error.
 * When only structured content is given, the host repeats it as JSON text for clients
 * that read text only.
 */
public final class ToolResult {

    private final String text;
    private final Map<String, Object> structuredContent;
    private final boolean error;

    private ToolResult(String text, Map<String, Object> structuredContent, boolean error) {
        this.text = text;
        this.structuredContent = structuredContent;
        this.error = error;
    }

    public static ToolResult text(String text) {
        return new ToolResult(Objects.requireNonNull(text, "text"), null, false);
    }

    /** A result whose structured content the host also renders as JSON text. */
    public static ToolResult structured(Map<String, Object> content) {
        return new ToolResult(null, Objects.requireNonNull(content, "content"), false);
    }

    /** A result with its own text and structured content. */
    public static ToolResult of(String text, Map<String, Object> content) {
        return new ToolResult(Objects.requireNonNull(text, "text"), Objects.requireNonNull(content, "content"),
                false);
    }

    /** A tool-level failure the model should see and may correct (isError: true). */
    public static ToolResult error(String message) {
        return new ToolResult(Objects.requireNonNull(message, "message"), null, true);
    }

    /** The text block, or null when the host should render the structured content. */
    public String text() {
        return text;
    }

    /** The structured content, or null. */
    public Map<String, Object> structuredContent() {
        return structuredContent;
    }

    public boolean isError() {
        return error;
    }

    @Override
    public String toString() {
        return "ToolResult[error=" + error + ", text=" + text + ", structured=" + structuredContent + "]";
    }
}
