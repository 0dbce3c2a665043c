package io.engram.mcp.json;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one JSON codec setup of the MCP bundle: strict parsing (gson's default parser is lenient
 * and would accept single quotes or trailing garbage), compact output without HTML escaping,
 * and the mapping between JSON trees and the plain Java values tools work with.
 */
public final class Json {

    /** Writes trees as they are: JSON-RPC needs {@code "id": null} kept. */
    private static final Gson WRITER = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    /** Converts Java values, leaving out null map values. */
    private static final Gson CONVERTER = new GsonBuilder().disableHtmlEscaping().create();
    private static final Pattern POSITION = Pattern.compile("line \\d+ column (\\d+)");
    private static final TypeAdapter<JsonElement> TREE = WRITER.getAdapter(JsonElement.class);

    private Json() {
    }

    /**
     * Parses one complete JSON text strictly (RFC 8259).
     *
     * @throws JsonParseException when the text is not exactly one valid JSON value
     */
    public static JsonElement parse(String text) {
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            JsonElement value = TREE.read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonParseException("invalid JSON: more data after the value");
            }
            return value;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new JsonParseException(describe(e), e);
        }
    }

    /** gson's messages advise lenient parsing and link to its docs; a client needs only where it went wrong. */
    private static String describe(Exception e) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("End of input")) {
            return "invalid JSON: unexpected end of input";
        }
        Matcher position = POSITION.matcher(message);
        return position.find() ? "invalid JSON at column " + position.group(1) : "invalid JSON";
    }

    /** Compact JSON text of a tree. */
    public static String write(JsonElement value) {
        return WRITER.toJson(value);
    }

    /** A tree of plain Java values (maps, lists, strings, numbers, booleans); null map values are left out. */
    public static JsonElement toTree(Object value) {
        return CONVERTER.toJsonTree(value);
    }

    /**
     * Plain Java values of a tree: objects become {@link LinkedHashMap}, arrays {@link ArrayList},
     * integral numbers {@link Long} and all other numbers {@link Double}.
     */
    public static Object toJava(JsonElement value) {
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (value.isJsonObject()) {
            return toJavaMap(value.getAsJsonObject());
        }
        if (value.isJsonArray()) {
            JsonArray array = value.getAsJsonArray();
            List<Object> list = new ArrayList<>(array.size());
            for (JsonElement item : array) {
                list.add(toJava(item));
            }
            return list;
        }
        JsonPrimitive primitive = value.getAsJsonPrimitive();
        if (primitive.isBoolean()) {
            return primitive.getAsBoolean();
        }
        if (primitive.isNumber()) {
            return toNumber(primitive.getAsString());
        }
        return primitive.getAsString();
    }

    /** {@link #toJava} of an object. */
    public static Map<String, Object> toJavaMap(JsonObject object) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
            map.put(entry.getKey(), toJava(entry.getValue()));
        }
        return map;
    }

    private static Number toNumber(String literal) {
        boolean integral = literal.indexOf('.') < 0 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0;
        if (integral) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException tooLarge) {
                // beyond the long range: fall through to a double, as JavaScript clients would
            }
        }
        return Double.parseDouble(literal);
    }
}
