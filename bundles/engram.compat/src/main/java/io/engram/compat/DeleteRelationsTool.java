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

/** {@code delete_relations}: deletes the relations listed; missing ones are ignored. */
@Component(service = Tool.class)
public class DeleteRelationsTool extends AbstractTool {

    private static final String INPUT_SCHEMA = CompatSchemas.object("""
            "relations": {"type": "array", "items": %s, "description": "An array of relations to delete"}, %s"""
            .formatted(CompatSchemas.RELATION, CompatSchemas.NAMESPACE), "relations");

    private final ReferenceGraph graph;

    @Activate
    public DeleteRelationsTool(@Reference(name = "graph") ReferenceGraph graph) {
        super("delete_relations", "Delete Relations", "Delete multiple relations from the knowledge graph",
                INPUT_SCHEMA,
                CompatSchemas.SUCCESS_OUTPUT, ToolAnnotations.destructive(true));
        this.graph = graph;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String ns = CompatArguments.namespace(arguments, context, graph);
        graph.deleteRelations(ns, CompatArguments.relations(arguments));
        return success("Relations deleted successfully");
    }

    private static ToolResult success(String message) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("success", true);
        result.put("message", message);
        return ToolResult.of(message, result); // the reference's text
    }
}
