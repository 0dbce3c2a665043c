package io.engram.compat;

import io.engram.api.tool.Arguments;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.ToolContext;
import io.engram.compat.ReferenceGraph.Entity;
import io.engram.compat.ReferenceGraph.Observations;
import io.engram.compat.ReferenceGraph.Relation;
import io.engram.kg.graph.GraphNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The arguments of the reference tools, read with messages naming the field (as {@code entities[2].name}). */
final class CompatArguments {

    private CompatArguments() {
    }

    /**
     * The one graph a call works on: the {@code namespace} argument (trimmed; blank counts as
     * absent, as in the memory and kg tools), else the {@code namespace} setting, else the session's
     * (the client's workspace). At startup the setting is the file's, not the default: a call made
     * before config/engram.compat.cfg is applied waits for it ({@link ReferenceGraphService#settledSettings}).
     */
    static String namespace(Arguments arguments, ToolContext context, ReferenceGraph graph) {
        String given = arguments.optString("namespace", null);
        CompatSettings settings = graph instanceof ReferenceGraphService service ? service.settledSettings()
                : graph.settings();
        String fallback = settings.namespace() != null ? settings.namespace() : context.namespace();
        String ns = given == null || given.isBlank() ? fallback : given.trim();
        try {
            return GraphNames.namespace(ns);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("namespace", e.getMessage());
        }
    }

    static int limit(Arguments arguments, CompatSettings settings) {
        return arguments.optInt("limit", settings.defaultLimit(), 1, settings.maxLimit());
    }

    static List<Entity> entities(Arguments arguments) {
        return objects(arguments, "entities", (item, field) -> new Entity(string(item, field, "name"),
                string(item, field, "entityType"), strings(item, field, "observations")));
    }

    static List<Relation> relations(Arguments arguments) {
        return objects(arguments, "relations", (item, field) -> new Relation(string(item, field, "from"),
                string(item, field, "to"), string(item, field, "relationType")));
    }

    /**
     * add_observations' {@code observations} (with {@code contents}) or delete_observations'
     * {@code deletions} (with {@code observations}).
     */
    static List<Observations> observations(Arguments arguments, String name, String contents) {
        return objects(arguments, name, (item, field) -> new Observations(string(item, field, "entityName"),
                strings(item, field, contents)));
    }

    /** A required array of strings. */
    static List<String> names(Arguments arguments, String name) {
        return strings(arguments.asMap(), null, name);
    }

    private interface ItemReader<T> {
        T read(Map<?, ?> item, String field);
    }

    private static <T> List<T> objects(Arguments arguments, String name, ItemReader<T> reader) {
        List<Object> values = arguments.optList(name);
        if (values == null) {
            throw new InvalidArgumentException(name, "required");
        }
        List<T> items = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String field = name + "[" + i + "]";
            if (!(values.get(i) instanceof Map<?, ?> item)) {
                throw new InvalidArgumentException(field, "expected an object, got "
                        + Arguments.jsonType(values.get(i)));
            }
            items.add(reader.read(item, field));
        }
        return items;
    }

    private static String string(Map<?, ?> item, String field, String name) {
        Object value = item.get(name);
        String path = field == null ? name : field + "." + name;
        if (value == null) {
            throw new InvalidArgumentException(path, "required");
        }
        if (!(value instanceof String text)) {
            throw new InvalidArgumentException(path, "expected a string, got " + Arguments.jsonType(value));
        }
        return text;
    }

    private static List<String> strings(Map<?, ?> item, String field, String name) {
        Object value = item.get(name);
        String path = field == null ? name : field + "." + name;
        if (value == null) {
            throw new InvalidArgumentException(path, "required");
        }
        if (!(value instanceof List<?> list)) {
            throw new InvalidArgumentException(path, "expected an array, got " + Arguments.jsonType(value));
        }
        List<String> strings = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String text)) {
                throw new InvalidArgumentException(path + "[" + i + "]", "expected a string, got "
                        + Arguments.jsonType(list.get(i)));
            }
            strings.add(text);
        }
        return strings;
    }
}
