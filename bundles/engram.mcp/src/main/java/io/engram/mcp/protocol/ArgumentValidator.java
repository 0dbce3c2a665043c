package io.engram.mcp.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.mcp.json.Json;
import java.util.List;
import java.util.Map;

/**
 * Checks decoded tool arguments against the tool's input schema (the subset the registry
 * admits), so a tool only sees arguments of the declared shape and the model learns which
 * field was wrong. An argument whose value is null counts as absent.
 */
final class ArgumentValidator {

    private ArgumentValidator() {
    }

    /** @throws InvalidArgumentException naming the first field that does not fit */
    static void validate(JsonObject schema, Map<String, Object> arguments) {
        checkObject(schema, arguments, "");
    }

    private static void check(JsonObject schema, Object value, String path) {
        String type = stringOf(schema.get("type"));
        if (type != null && !hasType(value, type)) {
            throw new InvalidArgumentException(path, "expected " + type + ", got " + Arguments.jsonType(value));
        }
        JsonElement allowed = schema.get("enum");
        if (allowed != null && !allowed.getAsJsonArray().asList().stream().map(Json::toJava)
                .anyMatch(option -> sameValue(option, value))) {
            throw new InvalidArgumentException(path,
                    "must be one of " + Json.write(allowed) + ", got " + Json.write(Json.toTree(value)));
        }
        if (value instanceof Number number) {
            checkRange(schema, number, path);
        }
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) map;
            checkObject(schema, object, path);
        }
        JsonElement items = schema.get("items");
        if (value instanceof List<?> list && items != null) {
            for (int i = 0; i < list.size(); i++) {
                Object item = list.get(i);
                if (item != null) {
                    check(items.getAsJsonObject(), item, path + "[" + i + "]");
                }
            }
        }
    }

    private static void checkObject(JsonObject schema, Map<String, Object> object, String path) {
        JsonElement required = schema.get("required");
        if (required != null) {
            for (JsonElement name : required.getAsJsonArray()) {
                if (object.get(name.getAsString()) == null) {
                    throw new InvalidArgumentException(join(path, name.getAsString()), "required");
                }
            }
        }
        JsonElement properties = schema.get("properties");
        if (properties == null) {
            return;
        }
        JsonObject declared = properties.getAsJsonObject();
        for (Map.Entry<String, Object> entry : object.entrySet()) {
            JsonElement propertySchema = declared.get(entry.getKey());
            if (propertySchema != null && entry.getValue() != null) {
                check(propertySchema.getAsJsonObject(), entry.getValue(), join(path, entry.getKey()));
            }
        }
    }

    private static void checkRange(JsonObject schema, Number number, String path) {
        JsonElement minimum = schema.get("minimum");
        if (minimum != null && number.doubleValue() < minimum.getAsDouble()) {
            throw new InvalidArgumentException(path, "must be at least " + minimum + ", got " + number);
        }
        JsonElement maximum = schema.get("maximum");
        if (maximum != null && number.doubleValue() > maximum.getAsDouble()) {
            throw new InvalidArgumentException(path, "must be at most " + maximum + ", got " + number);
        }
    }

    private static boolean hasType(Object value, String type) {
        return switch (type) {
            case "string" -> value instanceof String;
            case "boolean" -> value instanceof Boolean;
            case "number" -> value instanceof Number;
            // JSON Schema counts 2.0 as an integer; Arguments.optLong accepts it too
            case "integer" -> value instanceof Long
                    || value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d);
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            default -> false; // "null": a present argument is never null here
        };
    }

    private static boolean sameValue(Object option, Object value) {
        if (option instanceof Number a && value instanceof Number b) {
            return a.doubleValue() == b.doubleValue();
        }
        return option != null && option.equals(value);
    }

    private static String stringOf(JsonElement element) {
        return element == null ? null : element.getAsString();
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
