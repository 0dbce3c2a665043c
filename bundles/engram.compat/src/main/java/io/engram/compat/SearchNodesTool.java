package io.engram.compat;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import io.engram.api.tool.InvalidArgumentException;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code search_nodes}: entities whose name, type or an observation contains the query, ignoring case. */
@Component(service = Tool.class)
public class SearchNodesTool extends AbstractTool {

    private final ReferenceGraph graph;

    @Activate
    public SearchNodesTool(@Reference(name = "graph") ReferenceGraph graph) {
        super("search_nodes", "Search Nodes", "Search for nodes in the knowledge graph based on a query",
                CompatSchemas.object("""
                        "query": {"type": "string", "description": "The search query to match against entity names,\
                         types, and observation content"}, %s, %s"""
                        .formatted(CompatSchemas.NAMESPACE, CompatSchemas.paging(graph.settings())), "query"),
                CompatSchemas.GRAPH_OUTPUT, ToolAnnotations.readOnly());
        this.graph = graph;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String ns = CompatArguments.namespace(arguments, context, graph);
        String query = arguments.optString("query", null);
        if (query == null) {
            throw new InvalidArgumentException("query", "required");
        }
        return ToolResult.structured(graph.searchNodes(ns, query, CompatArguments.limit(arguments, graph.settings()),
                arguments.optString("cursor", null)).toMap());
    }
}
