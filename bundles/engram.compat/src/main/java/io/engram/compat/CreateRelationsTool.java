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

/** {@code create_relations}: creates the relations that do not exist yet; returns those created. */
@Component(service = Tool.class)
public class CreateRelationsTool extends AbstractTool {

    private static final String INPUT_SCHEMA = CompatSchemas.object("""
            "relations": {"type": "array", "items": %s}, %s"""
            .formatted(CompatSchemas.RELATION, CompatSchemas.NAMESPACE),
            "relations");

    private static final String OUTPUT_SCHEMA = CompatSchemas.object("""
            "relations": {"type": "array", "items": %s}""".formatted(CompatSchemas.RELATION), "relations");

    private final ReferenceGraph graph;

    @Activate
    public CreateRelationsTool(@Reference(name = "graph") ReferenceGraph graph) {
        super("create_relations", "Create Relations",
                "Create multiple new relations between entities in the knowledge graph."
                + " Relations should be in active voice",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA, ToolAnnotations.additive(false));
        this.graph = graph;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String ns = CompatArguments.namespace(arguments, context, graph);
        var created = graph.createRelations(ns, CompatArguments.relations(arguments));
        return ToolResult.structured(Map.of("relations",
                created.stream().map(ReferenceGraph.Relation::toMap).toList()));
    }
}
