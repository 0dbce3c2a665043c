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

/** {@code create_entities}: creates the entities whose names are not taken; returns those created. */
@Component(service = Tool.class)
public class CreateEntitiesTool extends AbstractTool {

    private static final String INPUT_SCHEMA = CompatSchemas.object("""
            "entities": {"type": "array", "items": %s}, %s""".formatted(CompatSchemas.ENTITY, CompatSchemas.NAMESPACE),
            "entities");

    private static final String OUTPUT_SCHEMA = CompatSchemas.object("""
            "entities": {"type": "array", "items": %s}""".formatted(CompatSchemas.ENTITY), "entities");

    private final ReferenceGraph graph;

    @Activate
    public CreateEntitiesTool(@Reference(name = "graph") ReferenceGraph graph) {
        super("create_entities", "Create Entities", "Create multiple new entities in the knowledge graph",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA, ToolAnnotations.additive(false));
        this.graph = graph;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String ns = CompatArguments.namespace(arguments, context, graph);
        var created = graph.createEntities(ns, CompatArguments.entities(arguments));
        return ToolResult.structured(Map.of("entities", created.stream().map(ReferenceGraph.Entity::toMap).toList()));
    }
}
