package io.engram.kg;

import io.engram.api.tool.Arguments;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.ToolContext;
import io.engram.kg.graph.GraphNames;
import io.engram.kg.graph.NodeKey;
import io.engram.kg.graph.Relations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The arguments the kg tools share, each checked with a message naming the field, and the
 * paging fields of their answers.
 */
final class KgArguments {

    private KgArguments() {
    }

    /** Where a write goes: the {@code namespace} argument, else the session's namespace. */
    static String writeNamespace(Arguments arguments, ToolContext context) {
        String given = givenNamespace(arguments);
        return checked("namespace", () -> GraphNames.namespace(given != null ? given : context.namespace()));
    }

    /** What a read covers: the {@code namespace} argument, else the session's namespace and the global one. */
    static List<String> readNamespaces(Arguments arguments, ToolContext context) {
        String given = givenNamespace(arguments);
        if (given != null) {
            return List.of(checked("namespace", () -> GraphNames.namespace(given)));
        }
        String session = checked("namespace", () -> GraphNames.namespace(context.namespace()));
        return session.equals(ToolContext.GLOBAL_NAMESPACE) ? List.of(session)
                : List.of(session, ToolContext.GLOBAL_NAMESPACE);
    }

    /**
     * The {@code namespace} argument trimmed, null when absent or blank (as in the memory and
     * compat tools: models often fill optional fields with "").
     */
    private static String givenNamespace(Arguments arguments) {
        String given = arguments.optString("namespace", null);
        return given == null || given.isBlank() ? null : given.trim();
    }

    static NodeKey entity(Arguments arguments, String field) {
        String name = arguments.string(field);
        return checked(field, () -> NodeKey.entity(name));
    }

    static NodeKey nodeKey(Arguments arguments, String field) {
        String text = arguments.string(field);
        return checked(field, () -> NodeKey.parse(text));
    }

    static String relation(Arguments arguments) {
        String relation = arguments.optString("relation", null);
        return checked("relation", () -> Relations.normalize(relation));
    }

    /** A non-empty array of tags, each checked. */
    static List<String> tags(Arguments arguments) {
        List<Object> values = arguments.optList("tags");
        if (values == null) {
            throw new InvalidArgumentException("tags", "required");
        }
        if (values.isEmpty()) {
            throw new InvalidArgumentException("tags", "must name at least one tag");
        }
        return strings("tags", values, GraphNames::tag);
    }

    /** An optional array of strings (empty when absent). */
    static List<String> optStrings(Arguments arguments, String field) {
        List<Object> values = arguments.optList(field);
        return values == null ? List.of() : strings(field, values, text -> text);
    }

    private static List<String> strings(String field, List<Object> values,
            UnaryOperator<String> check) {
        List<String> strings = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String item = field + "[" + i + "]";
            if (!(values.get(i) instanceof String text)) {
                throw new InvalidArgumentException(item, "expected a string, got " + Arguments.jsonType(values.get(i)));
            }
            strings.add(checked(item, () -> check.apply(text)));
        }
        return strings;
    }

    static int limit(Arguments arguments, int fallback, KgSettings settings) {
        return arguments.optInt("limit", Math.min(fallback, settings.maxLimit()), 1, settings.maxLimit());
    }

    static String cursor(Arguments arguments) {
        return arguments.optString("cursor", null);
    }

    /** Puts {@code items} under {@code name} with {@code count}, {@code truncated} and {@code nextCursor} (when more remain). */
    static void putPage(Map<String, Object> result, String name, Paging.Page page) {
        result.put(name, page.items());
        putPaging(result, page);
    }

    /** Puts {@code count}, {@code truncated} and {@code nextCursor} (when more remain) of {@code page}. */
    static void putPaging(Map<String, Object> result, Paging.Page page) {
        result.put("count", (long) page.items().size());
        result.put("truncated", page.truncated());
        if (page.nextCursor() != null) {
            result.put("nextCursor", page.nextCursor());
        }
    }

    private static <T> T checked(String field, Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException(field, e.getMessage());
        }
    }
}
