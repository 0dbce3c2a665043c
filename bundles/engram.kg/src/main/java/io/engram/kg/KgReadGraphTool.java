package io.engram.kg;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code kg_read_graph}: the graph a page at a time, each node with the edges out of it. */
@Component(service = Tool.class)
public class KgReadGraphTool extends AbstractTool {

    static final int DEFAULT_LIMIT = 100;

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "namesOnly": {"type": "boolean", "default": false, "description": "Only node keys and relation triples: the most compact overview."},
                %s,
                %s,
                %s
              }
            }
            """.formatted(KgSchemas.limit(DEFAULT_LIMIT, "nodes"), KgSchemas.CURSOR, KgSchemas.NAMESPACE_READ);

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "nodes": {
                  "type": "array",
                  "description": "Node summaries (left out with namesOnly); read observations with kg_get_entity.",
                  "items": {
                    "type": "object",
                    "properties": {
                      "nodeKey": {"type": "string"},
                      "namespace": {"type": "string"},
                      "mentionCount": {"type": "integer"},
                      "entityType": {"type": "string"},
                      "tags": {"type": "array", "items": {"type": "string"}},
                      "observationCount": {"type": "integer"}
                    },
                    "required": ["nodeKey", "namespace"]
                  }
                },
                "nodeKeys": {"type": "array", "description": "With namesOnly: [nodeKey, namespace] of each node.", "items": {"type": "array", "items": {"type": "string"}}},
                %s,
                %s
              },
              "required": ["edges", "count", "truncated"]
            }
            """.formatted(KgSchemas.EDGES_OUTPUT, KgSchemas.PAGE_OUTPUT);

    private static final String DESCRIPTION =
            "Read the knowledge graph a page at a time: nodes (by type, then name) with the relations out of them."
            + " Pass namesOnly: true for just node keys and [src, dst, relation, namespace] triples, the cheapest"
            + " overview. Answers are kept small: follow nextCursor for more, use kg_search_nodes or kg_get_entity"
            + " for detail.";

    private final KgEngine kg;

    @Activate
    public KgReadGraphTool(@Reference(name = "kg") KgEngine kg) {
        super("kg_read_graph", "Read graph", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA, ToolAnnotations.readOnly());
        this.kg = kg;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        boolean namesOnly = arguments.optBoolean("namesOnly", false);
        Paging.Page page = kg.readGraph(KgArguments.readNamespaces(arguments, context),
                KgArguments.limit(arguments, DEFAULT_LIMIT, kg.settings()), KgArguments.cursor(arguments), namesOnly);
        List<Object> nodes = new ArrayList<>();
        List<Object> edges = new ArrayList<>();
        for (Object item : page.items()) {
            KgEngine.GraphItem graphItem = (KgEngine.GraphItem) item;
            nodes.add(graphItem.node());
            edges.addAll(graphItem.edges());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put(namesOnly ? "nodeKeys" : "nodes", nodes);
        result.put("edges", edges);
        KgArguments.putPaging(result, page);
        return ToolResult.structured(result);
    }
}
