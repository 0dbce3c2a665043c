package io.engram.mcp.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.engram.api.tool.ToolAnnotations;
import io.engram.mcp.registry.ToolDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * One page of {@code tools/list}, shaped for the negotiated version. The cursor names the last
 * tool of the previous page rather than an offset, so a tool arriving or leaving between two
 * pages neither repeats nor skips the others.
 */
final class ToolListing {

    private static final String CURSOR_PREFIX = "after:";

    private ToolListing() {
    }

    /** The result of {@code tools/list} for this cursor (null for the first page). */
    static JsonObject page(List<ToolDescriptor> tools, String cursor, int pageSize, ProtocolVersion version)
            throws RpcException {
        int start = 0;
        if (cursor != null) {
            String after = decodeCursor(cursor);
            while (start < tools.size() && tools.get(start).name().compareTo(after) <= 0) {
                start++;
            }
        }
        int end = Math.min(tools.size(), start + pageSize);
        JsonArray listed = new JsonArray();
        for (ToolDescriptor tool : tools.subList(start, end)) {
            listed.add(describe(tool, version));
        }
        JsonObject result = new JsonObject();
        result.add("tools", listed);
        if (end < tools.size()) {
            result.addProperty("nextCursor", encodeCursor(tools.get(end - 1).name()));
        }
        return result;
    }

    static JsonObject describe(ToolDescriptor tool, ProtocolVersion version) {
        JsonObject json = new JsonObject();
        json.addProperty("name", tool.name());
        if (tool.title() != null && version.atLeast(ProtocolVersion.V2025_06_18)) {
            json.addProperty("title", tool.title());
        }
        json.addProperty("description", tool.description());
        json.add("inputSchema", tool.inputSchema());
        if (tool.outputSchema() != null && version.atLeast(ProtocolVersion.V2025_06_18)) {
            json.add("outputSchema", tool.outputSchema());
        }
        if (version.atLeast(ProtocolVersion.V2025_03_26)) {
            JsonObject annotations = annotations(tool.annotations());
            if (!annotations.isEmpty()) {
                json.add("annotations", annotations);
            }
        }
        return json;
    }

    private static JsonObject annotations(ToolAnnotations hints) {
        JsonObject json = new JsonObject();
        addHint(json, "readOnlyHint", hints.readOnlyHint());
        addHint(json, "destructiveHint", hints.destructiveHint());
        addHint(json, "idempotentHint", hints.idempotentHint());
        addHint(json, "openWorldHint", hints.openWorldHint());
        return json;
    }

    private static void addHint(JsonObject json, String name, Boolean value) {
        if (value != null) {
            json.addProperty(name, value);
        }
    }

    static String encodeCursor(String lastName) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + lastName).getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeCursor(String cursor) throws RpcException {
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = "";
        }
        if (!decoded.startsWith(CURSOR_PREFIX)) {
            throw new RpcException(RpcException.INVALID_PARAMS, "invalid cursor: " + cursor);
        }
        return decoded.substring(CURSOR_PREFIX.length());
    }
}
