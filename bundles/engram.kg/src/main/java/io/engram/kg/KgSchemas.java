package io.engram.kg;

/** Schema fragments the kg tools share (JSON text, the portable subset). */
final class KgSchemas {

    private KgSchemas() {
    }

    static final String NAMESPACE_WRITE = """
            "namespace": {"type": "string", "description": "Namespace to write in. Default: the current workspace's; use \\"global\\" for knowledge meant for every project."}""";

    static final String NAMESPACE_READ = """
            "namespace": {"type": "string", "description": "Namespace to read. Default: the current workspace's and \\"global\\" together."}""";

    static final String CURSOR = """
            "cursor": {"type": "string", "description": "nextCursor of the previous answer, to get the next page; same other arguments."}""";

    static String limit(int fallback, String what) {
        return """
                "limit": {"type": "integer", "default": %d, "description": "Most %s per page."}""".formatted(fallback, what);
    }

    /** Output properties of every paged answer. */
    static final String PAGE_OUTPUT = """
            "count": {"type": "integer", "description": "Items in this page."},
                "truncated": {"type": "boolean", "description": "True when this page stopped early to stay within the response size budget; continue with nextCursor."},
                "nextCursor": {"type": "string", "description": "Present when more remain: pass it as cursor to get them."}""";

    static final String EDGES_OUTPUT = """
            "edges": {"type": "array", "description": "Relations as [src, dst, relation, namespace].", "items": {"type": "array", "items": {"type": "string"}}}""";
}
