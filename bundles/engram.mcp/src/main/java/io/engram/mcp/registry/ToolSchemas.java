package io.engram.mcp.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.engram.mcp.json.Json;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the JSON Schemas a tool declares. They must stay inside the portable subset, because
 * some clients (Gemini-backed ones among them) reject a whole server over one unknown keyword
 * such as {@code anyOf}, {@code format} or {@code additionalProperties}.
 */
final class ToolSchemas {

    /** Ordered, so the message listing them reads the same every time. */
    static final Set<String> KEYWORDS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of("type", "properties",
            "required", "description", "enum", "items", "default", "title", "minimum", "maximum")));
    static final Set<String> TYPES = Set.of("object", "array", "string", "integer", "number", "boolean", "null");

    private ToolSchemas() {
    }

    /** Parses a schema that must describe an object; {@code which} names it in messages ("input schema"). */
    static JsonObject parseObjectSchema(String text, String which) throws InvalidToolException {
        if (text == null) {
            throw new InvalidToolException(which + " is missing");
        }
        JsonElement parsed;
        try {
            parsed = Json.parse(text);
        } catch (JsonParseException e) {
            throw new InvalidToolException(which + " is not valid JSON: " + e.getMessage());
        }
        if (!parsed.isJsonObject()) {
            throw new InvalidToolException(which + " is not a JSON object");
        }
        JsonObject schema = parsed.getAsJsonObject();
        JsonElement type = schema.get("type");
        if (type == null || !type.isJsonPrimitive() || !"object".equals(type.getAsString())) {
            throw new InvalidToolException(which + " must have \"type\": \"object\"");
        }
        check(schema, which);
        return schema;
    }

    private static void check(JsonElement schema, String where) throws InvalidToolException {
        if (!schema.isJsonObject()) {
            throw new InvalidToolException(where + " is not a schema object");
        }
        for (Map.Entry<String, JsonElement> entry : schema.getAsJsonObject().entrySet()) {
            String keyword = entry.getKey();
            JsonElement value = entry.getValue();
            switch (keyword) {
                case "type" -> {
                    if (!isString(value) || !TYPES.contains(value.getAsString())) {
                        throw new InvalidToolException(where + ": \"type\" must be one of " + TYPES);
                    }
                }
                case "properties" -> {
                    if (!value.isJsonObject()) {
                        throw new InvalidToolException(where + ": \"properties\" must be an object");
                    }
                    for (Map.Entry<String, JsonElement> property : value.getAsJsonObject().entrySet()) {
                        check(property.getValue(), where + " property '" + property.getKey() + "'");
                    }
                }
                case "required" -> {
                    if (!value.isJsonArray() || !value.getAsJsonArray().asList().stream().allMatch(ToolSchemas::isString)) {
                        throw new InvalidToolException(where + ": \"required\" must be an array of names");
                    }
                }
                case "enum" -> {
                    if (!value.isJsonArray() || value.getAsJsonArray().isEmpty()) {
                        throw new InvalidToolException(where + ": \"enum\" must be a non-empty array");
                    }
                }
                case "items" -> check(value, where + " items");
                case "description", "title" -> {
                    if (!isString(value)) {
                        throw new InvalidToolException(where + ": \"" + keyword + "\" must be a string");
                    }
                }
                case "minimum", "maximum" -> {
                    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
                        throw new InvalidToolException(where + ": \"" + keyword + "\" must be a number");
                    }
                }
                case "default" -> {
                    // any JSON value is a valid default
                }
                default -> throw new InvalidToolException(
                        where + ": unsupported keyword '" + keyword + "' (allowed: " + KEYWORDS + ")");
            }
        }
    }

    private static boolean isString(JsonElement value) {
        return value.isJsonPrimitive() && value.getAsJsonPrimitive().isString();
    }
}
