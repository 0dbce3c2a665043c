package io.engram.api.tool;

/**
 * MCP tool annotations: hints for clients, never trusted for security. A null hint is
 * left out of the tool listing.
 */
public record ToolAnnotations(Boolean readOnlyHint, Boolean destructiveHint, Boolean idempotentHint,
        Boolean openWorldHint) {

    public static final ToolAnnotations NONE = new ToolAnnotations(null, null, null, null);

    /** Reads only; local data only. */
    public static ToolAnnotations readOnly() {
        return new ToolAnnotations(true, false, true, false);
    }

    /** Adds or changes data without destroying any; local data only. */
    public static ToolAnnotations additive(boolean idempotent) {
        return new ToolAnnotations(false, false, idempotent, false);
    }

    /** May remove or overwrite data; local data only. */
    public static ToolAnnotations destructive(boolean idempotent) {
        return new ToolAnnotations(false, true, idempotent, false);
    }
}
