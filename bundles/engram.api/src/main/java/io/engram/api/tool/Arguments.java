package io.engram.api.tool;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The arguments of a tool call, decoded from JSON: objects are {@code Map<String, Object>},
 * arrays {@code List<Object>}, integral numbers {@code Long}, other numbers {@code Double}.
 * The typed accessors throw {@link InvalidArgumentException} naming the field, which the
 * host reports to the model as an error result.
 */
public final class Arguments {

    private final Map<String, Object> values;

    public Arguments(Map<String, Object> values) {
        this.values = values == null ? Map.of() : Collections.unmodifiableMap(values);
    }

    /** All arguments as decoded. */
    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String name) {
        return values.get(name) != null;
    }

    /** A required, non-blank string. */
    public String string(String name) {
        String value = optString(name, null);
        if (value == null) {
            throw new InvalidArgumentException(name, "required");
        }
        if (value.isBlank()) {
            throw new InvalidArgumentException(name, "must not be empty");
        }
        return value;
    }

    public String optString(String name, String fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof String s) {
            return s;
        }
        throw new InvalidArgumentException(name, "expected a string, got " + jsonType(value));
    }

    public long optLong(String name, long fallback) {
        Long value = optLong(name);
        return value == null ? fallback : value;
    }

    /** An integer, or null when absent. */
    public Long optLong(String name) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.007199254740992E15) {
                return (long) d;
            }
            throw new InvalidArgumentException(name, "expected an integer, got " + value);
        }
        throw new InvalidArgumentException(name, "expected an integer, got " + jsonType(value));
    }

    /** An integer within [min, max], or the fallback when absent. */
    public int optInt(String name, int fallback, int min, int max) {
        long value = optLong(name, fallback);
        if (value < min || value > max) {
            throw new InvalidArgumentException(name, "must be between " + min + " and " + max + ", got " + value);
        }
        return (int) value;
    }

    public double optDouble(String name, double fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new InvalidArgumentException(name, "expected a number, got " + jsonType(value));
    }

    public boolean optBoolean(String name, boolean fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new InvalidArgumentException(name, "expected a boolean, got " + jsonType(value));
    }

    /** A JSON object, or null when absent. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> optObject(String name) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new InvalidArgumentException(name, "expected an object, got " + jsonType(value));
    }

    /** A JSON array, or null when absent. */
    @SuppressWarnings("unchecked")
    public List<Object> optList(String name) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new InvalidArgumentException(name, "expected an array, got " + jsonType(value));
    }

    /** The JSON type name of a decoded value, for error messages. */
    public static String jsonType(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof Long || value instanceof Integer) {
            return "integer";
        }
        if (value instanceof Number) {
            return "number";
        }
        if (value instanceof Map) {
            return "object";
        }
        if (value instanceof List) {
            return "array";
        }
        return value.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
