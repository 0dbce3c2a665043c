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

/** {@code delete_observations}: removes the observations listed; unknown entities are ignored. */
@Component(service = Tool.class)
public class DeleteObservationsTool extends AbstractTool {

    private static final String INPUT_SCHEMA = CompatSchemas.object("""
            "deletions": {"type": "array", "items": {"type": "object", "properties": {\
            "entityName": {"type": "string", "description": "The name of the entity containing the observations"}, \
            "observations": {"type": "array", "items": {"type": "string"}, \
            "description": "An array of observations to delete"}}, \
            "required": ["entityName", "observations"]}}, %s""".formatted(CompatSchemas.NAMESPACE), "deletions");

    private final ReferenceGraph graph;

    @Activate
    public DeleteObservationsTool(@Reference(name = "graph") ReferenceGraph graph) {
        super("delete_observations", "Delete Observations",
                "Delete specific observations from entities in the knowledge graph",
                INPUT_SCHEMA,
                CompatSchemas.SUCCESS_OUTPUT, ToolAnnotations.destructive(true));
        this.graph = graph;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String ns = CompatArguments.namespace(arguments, context, graph);
        graph.deleteObservations(ns, CompatArguments.observations(arguments, "deletions", "observations"));
        return success("Observations deleted successfully");
    }

    private static ToolResult success(String message) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("success", true);
        result.put("message", message);
        return ToolResult.of(message, result); // the reference's text
    }
}
