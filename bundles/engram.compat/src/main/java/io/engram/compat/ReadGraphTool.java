package io.engram.compat;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code read_graph}: the graph a part at a time (Engram addition: limit, cursor; the reference gives it
 * all at once).
 */
@Component(service = Tool.class)
public class ReadGraphTool extends AbstractTool {

    private final ReferenceGraph graph;

    @Activate
    public ReadGraphTool(@Reference(name = "graph") ReferenceGraph graph) {
        super("read_graph", "Read Graph", "Read the entire knowledge graph",
                CompatSchemas.object(CompatSchemas.NAMESPACE + ", " + CompatSchemas.paging(graph.settings())),
                CompatSchemas.GRAPH_OUTPUT, ToolAnnotations.readOnly());
        this.graph = graph;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String ns = CompatArguments.namespace(arguments, context, graph);
        return ToolResult.structured(graph.readGraph(ns, CompatArguments.limit(arguments, graph.settings()),
                arguments.optString("cursor", null)).toMap());
    }
}
