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

/** {@code open_nodes}: the entities named, with the relations into and out of them. */
@Component(service = Tool.class)
public class OpenNodesTool extends AbstractTool {

    private static final String INPUT_SCHEMA = CompatSchemas.object("""
            "names": {"type": "array", "items": {"type": "string"}, \
            "description": "An array of entity names to retrieve"}, %s""".formatted(CompatSchemas.NAMESPACE), "names");

    private final ReferenceGraph graph;

    @Activate
    public OpenNodesTool(@Reference(name = "graph") ReferenceGraph graph) {
        super("open_nodes", "Open Nodes", "Open specific nodes in the knowledge graph by their names",
                INPUT_SCHEMA,
                CompatSchemas.GRAPH_OUTPUT, ToolAnnotations.readOnly());
        this.graph = graph;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String ns = CompatArguments.namespace(arguments, context, graph);
        return ToolResult.structured(graph.openNodes(ns, CompatArguments.names(arguments, "names")).toMap());
    }
}
