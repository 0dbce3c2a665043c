package io.engram.compat;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code add_observations}: adds what each entity does not have yet; an unknown entity fails the whole call. */
@Component(service = Tool.class)
public class AddObservationsTool extends AbstractTool {

    private static final String INPUT_SCHEMA = CompatSchemas.object("""
            "observations": {"type": "array", "items": {"type": "object", "properties": {\
            "entityName": {"type": "string", "description": "The name of the entity to add the observations to"}, \
            "contents": {"type": "array", "items": {"type": "string"}, \
            "description": "An array of observation contents to add"}}, \
            "required": ["entityName", "contents"]}}, %s""".formatted(CompatSchemas.NAMESPACE), "observations");

    private static final String OUTPUT_SCHEMA = CompatSchemas.object("""
            "results": {"type": "array", "items": {"type": "object", "properties": {\
            "entityName": {"type": "string"}, "addedObservations": {"type": "array", "items": {"type": "string"}}}, \
            "required": ["entityName", "addedObservations"]}}""", "results");

    private final ReferenceGraph graph;

    @Activate
    public AddObservationsTool(@Reference(name = "graph") ReferenceGraph graph) {
        super("add_observations", "Add Observations",
                "Add new observations to existing entities in the knowledge graph",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA, ToolAnnotations.additive(false));
        this.graph = graph;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String ns = CompatArguments.namespace(arguments, context, graph);
        List<ReferenceGraph.Observations> added;
        try {
            added = graph.addObservations(ns, CompatArguments.observations(arguments, "observations", "contents"));
        } catch (ReferenceGraph.EntityNotFoundException e) {
            return ToolResult.error(e.getMessage());
        }
        List<Object> results = added.stream().<Object>map(each -> {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("entityName", each.entityName());
            result.put("addedObservations", each.contents());
            return result;
        }).toList();
        return ToolResult.structured(Map.of("results", results));
    }
}
