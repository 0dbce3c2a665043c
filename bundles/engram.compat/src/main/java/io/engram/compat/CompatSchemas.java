package io.engram.compat;

/**
 * The reference server's schemas (its tools/list, version 2026.8.31), in the portable subset
 * Engram lists: the same properties, types, descriptions and required fields. Engram's
 * additions (namespace, limit, cursor; truncated, nextCursor) are optional.
 */
final class CompatSchemas {

    private CompatSchemas() {
    }

    static final String ENTITY = """
            {"type": "object", "properties": {\
            "name": {"type": "string", "description": "The name of the entity"}, \
            "entityType": {"type": "string", "description": "The type of the entity"}, \
            "observations": {"type": "array", "items": {"type": "string"}, \
            "description": "An array of observation contents associated with the entity"}}, \
            "required": ["name", "entityType", "observations"]}""";

    static final String RELATION = """
            {"type": "object", "properties": {\
            "from": {"type": "string", "description": "The name of the entity where the relation starts"}, \
            "to": {"type": "string", "description": "The name of the entity where the relation ends"}, \
            "relationType": {"type": "string", "description": "The type of the relation"}}, \
            "required": ["from", "to", "relationType"]}""";

    static final String NAMESPACE = """
            "namespace": {"type": "string", "description": "Engram addition, optional: the namespace holding the\
             graph. Default: the current workspace's, unless Engram's settings name one."}""";

    static final String PAGING = """
            "limit": {"type": "integer", "description": "Engram addition, optional: most entities per answer\
             (default %d, at most %d)."}, \
            "cursor": {"type": "string", "description": "Engram addition, optional: the nextCursor of the previous\
             answer, to get the next part with the same other arguments."}""";

    /** {@code {"type": "object", "properties": {...}, "required": [...]}} from property fragments. */
    static String object(String properties, String... required) {
        StringBuilder names = new StringBuilder();
        for (String name : required) {
            names.append(names.length() == 0 ? "" : ", ").append('"').append(name).append('"');
        }
        return "{\"type\": \"object\", \"properties\": {" + properties + "}, \"required\": [" + names + "]}";
    }

    static String paging(CompatSettings settings) {
        return PAGING.formatted(settings.defaultLimit(), settings.maxLimit());
    }

    /** The output of read_graph, search_nodes and open_nodes. */
    static final String GRAPH_OUTPUT = object("\"entities\": {\"type\": \"array\", \"items\": " + ENTITY + "}, "
            + "\"relations\": {\"type\": \"array\", \"items\": " + RELATION + "}, "
            + "\"truncated\": {\"type\": \"boolean\", \"description\": \"Engram addition, present with nextCursor:"
            + " true when this answer stopped early to stay within its size budget.\"}, "
            + "\"nextCursor\": {\"type\": \"string\", \"description\": \"Engram addition: present when more remain;"
            + " pass it as cursor to get them.\"}", "entities", "relations");

    /** The output of the three delete tools. */
    static final String SUCCESS_OUTPUT = object("\"success\": {\"type\": \"boolean\"}, "
            + "\"message\": {\"type\": \"string\"}", "success", "message");
}
