package io.engram.kg;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import io.engram.kg.graph.NodeDeletion;
import io.engram.kg.graph.NodeKey;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code kg_delete_entity}: deletes an entity with its relations and tags. */
@Component(service = Tool.class)
public class KgDeleteEntityTool extends AbstractTool {

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "entity": {"type": "string", "description": "The entity's name."},
                %s
              },
              "required": ["entity"]
            }
            """.formatted(KgSchemas.NAMESPACE_WRITE);

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "entity": {"type": "string"},
                "namespace": {"type": "string"},
                "deleted": {"type": "boolean", "description": "False when there was no such entity."},
                "removedItems": {"type": "integer", "description": "Relations and tags removed with it."},
                "removedRelations": {"type": "integer"},
                "removedTags": {"type": "integer"}
              },
              "required": ["entity", "namespace", "deleted", "removedItems", "removedRelations", "removedTags"]
            }
            """;

    private static final String DESCRIPTION =
            "Delete an entity from the knowledge graph together with every relation into or out of it and its tags"
            + " (the nodes at the other end stay). Cannot be undone. To drop one link only, use kg_delete_relation.";

    private final KgEngine kg;

    @Activate
    public KgDeleteEntityTool(@Reference(name = "kg") KgEngine kg) {
        super("kg_delete_entity", "Delete entity", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA,
                ToolAnnotations.destructive(true));
        this.kg = kg;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        NodeKey entity = KgArguments.entity(arguments, "entity");
        String ns = KgArguments.writeNamespace(arguments, context);
        NodeDeletion deletion = kg.deleteNode(ns, entity);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("entity", entity.id());
        result.put("namespace", ns);
        result.put("deleted", deletion.deleted());
        result.put("removedItems", (long) deletion.edgesRemoved() + deletion.tagsRemoved());
        result.put("removedRelations", (long) deletion.edgesRemoved());
        result.put("removedTags", (long) deletion.tagsRemoved());
        return ToolResult.structured(result);
    }
}
