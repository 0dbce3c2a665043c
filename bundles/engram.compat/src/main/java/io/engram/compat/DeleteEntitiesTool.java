package io.engram.compat;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code delete_entities}: deletes the entities with every relation into or out of them. */
@Component(service = Tool.class)
public class DeleteEntitiesTool extends AbstractTool {

    private static final String INPUT_SCHEMA = CompatSchemas.object("""
            "entityNames": {"type": "array", "items": {"type": "string"}, \
            "description": "An array of entity names to delete"}, %s""".formatted(CompatSchemas.NAMESPACE),
            "entityNames");

    private final ReferenceGraph graph;

    @Activate
    public DeleteEntitiesTool(@Reference(name = "graph") ReferenceGraph graph) {
        super("delete_entities", "Delete Entities",
                "Delete multiple entities and their associated relations from the knowledge graph",
                INPUT_SCHEMA,
                CompatSchemas.SUCCESS_OUTPUT, ToolAnnotations.destructive(true));
        this.graph = graph;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String ns = CompatArguments.namespace(arguments, context, graph);
        graph.deleteEntities(ns, CompatArguments.names(arguments, "entityNames"));
        return success("Entities deleted successfully");
    }

    private static ToolResult success(String message) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("success", true);
        result.put("message", message);
        return ToolResult.of(message, result); // the reference's text
    }
}
