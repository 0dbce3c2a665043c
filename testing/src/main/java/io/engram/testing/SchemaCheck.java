package io.engram.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolResult;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks tool values against the JSON Schema subset the tools declare, strictly: every
 * property must be declared, required ones present, none null, types and enums exact.
 */
public final class SchemaCheck {

    private static final Set<String> PORTABLE_KEYWORDS = Set.of("type", "properties", "required", "description",
            "enum", "items", "default");

    private SchemaCheck() {
    }

    /**
     * What every tool of a family must have: a name {@code family_action}, a title, a
     * description, and portable object schemas for input and output.
     */
    public static void assertDescribedTool(Tool tool, String family) {
        assertTrue(tool.name().matches(family + "(_[a-z]+)+"), tool.name());
        assertNotNull(tool.title());
        assertTrue(!tool.description().isBlank(), tool.name() + " has a description");
        assertPortableObjectSchema(tool.inputSchema());
        assertPortableObjectSchema(tool.outputSchema());
    }

    /** Fails unless the schema is an object schema using only the portable keywords. */
    public static void assertPortableObjectSchema(String schemaJson) {
        JsonObject schema = JsonParser.parseString(schemaJson).getAsJsonObject();
        assertEquals("object", schema.get("type").getAsString(), "top-level type");
        assertPortable(schema, "$");
    }

    private static void assertPortable(JsonObject schema, String path) {
        for (String keyword : schema.keySet()) {
            assertTrue(PORTABLE_KEYWORDS.contains(keyword), path + ": keyword '" + keyword + "' is not portable");
        }
        assertNotNull(schema.get("type"), path + ": no type");
        if (schema.has("properties")) {
            JsonObject properties = schema.getAsJsonObject("properties");
            for (String name : properties.keySet()) {
                assertPortable(properties.getAsJsonObject(name), path + "." + name);
            }
        }
        if (schema.has("required")) {
            for (JsonElement name : schema.getAsJsonArray("required")) {
                assertTrue(schema.has("properties") && schema.getAsJsonObject("properties").has(name.getAsString()),
                        path + ": required '" + name.getAsString() + "' is not a declared property");
            }
        }
        if (schema.has("items")) {
            assertPortable(schema.getAsJsonObject("items"), path + "[]");
        }
    }

    /**
     * Fails unless {@code result}, answered by {@code tool}, is a success whose structured content
     * conforms to the tool's output schema; returns that content.
     */
    public static Map<String, Object> assertStructuredSuccess(Tool tool, ToolResult result) {
        assertFalse(result.isError(), () -> "unexpected error: " + result.text());
        assertNotNull(result.structuredContent());
        assertConforms(tool.outputSchema(), result.structuredContent());
        return result.structuredContent();
    }

    /** Fails unless {@code value} conforms to the schema. */
    public static void assertConforms(String schemaJson, Object value) {
        check(JsonParser.parseString(schemaJson).getAsJsonObject(), value, "$");
    }

    private static void check(JsonObject schema, Object value, String path) {
        if (value == null) {
            fail(path + ": null");
        }
        String type = schema.get("type").getAsString();
        switch (type) {
            case "object" -> checkObject(schema, value, path);
            case "array" -> {
                assertTrue(value instanceof List, path + ": expected an array, got " + value);
                if (schema.has("items")) {
                    List<?> items = (List<?>) value;
                    for (int i = 0; i < items.size(); i++) {
                        check(schema.getAsJsonObject("items"), items.get(i), path + "[" + i + "]");
                    }
                }
            }
            case "string" -> assertTrue(value instanceof String, path + ": expected a string, got " + value);
            case "integer" -> assertTrue(value instanceof Long || value instanceof Integer,
                    path + ": expected an integer, got " + value.getClass().getSimpleName() + " " + value);
            case "number" -> assertTrue(value instanceof Number, path + ": expected a number, got " + value);
            case "boolean" -> assertTrue(value instanceof Boolean, path + ": expected a boolean, got " + value);
            default -> fail(path + ": unexpected schema type " + type);
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonElement allowed : schema.getAsJsonArray("enum")) {
                listed |= allowed.getAsString().equals(value);
            }
            assertTrue(listed, path + ": " + value + " is not one of " + schema.get("enum"));
        }
    }

    private static void checkObject(JsonObject schema, Object value, String path) {
        assertTrue(value instanceof Map, path + ": expected an object, got " + value);
        Map<?, ?> object = (Map<?, ?>) value;
        if (schema.has("required")) {
            for (JsonElement name : schema.getAsJsonArray("required")) {
                assertTrue(object.get(name.getAsString()) != null, path + ": missing required " + name);
            }
        }
        if (!schema.has("properties")) {
            return; // a free-form object, such as metadata
        }
        JsonObject properties = schema.getAsJsonObject("properties");
        for (Map.Entry<?, ?> entry : object.entrySet()) {
            String name = (String) entry.getKey();
            assertTrue(properties.has(name), path + ": undeclared property '" + name + "'");
            check(properties.getAsJsonObject(name), entry.getValue(), path + "." + name);
        }
    }
}
