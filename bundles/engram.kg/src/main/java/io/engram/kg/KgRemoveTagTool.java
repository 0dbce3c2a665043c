package io.engram.kg;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import io.engram.kg.graph.NodeKey;
import io.engram.kg.graph.TagChange;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code kg_remove_tag}: takes tags off an entity. */
@Component(service = Tool.class)
public class KgRemoveTagTool extends AbstractTool {

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "entity": {"type": "string", "description": "The entity's name."},
                %s,
                %s
              },
              "required": ["entity", "tags"]
            }
            """.formatted(KgTagEntityTool.TAGS_INPUT, KgSchemas.NAMESPACE_WRITE);

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "entity": {"type": "string"},
                "namespace": {"type": "string"},
                "removed": {"type": "array", "items": {"type": "string"}, "description": "The tags the entity had and no longer has."},
                "tags": {"type": "array", "items": {"type": "string"}, "description": "The tags it keeps."},
                "success": {"type": "boolean", "description": "False when there is no such entity in the namespace."}
              },
              "required": ["entity", "namespace", "removed", "tags", "success"]
            }
            """;

    private static final String DESCRIPTION =
            "Remove tags from an entity of the knowledge graph. Tags it does not have are ignored; the entity and its"
            + " relations stay.";

    private final KgEngine kg;

    @Activate
    public KgRemoveTagTool(@Reference(name = "kg") KgEngine kg) {
        super("kg_remove_tag", "Remove tag", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA,
                ToolAnnotations.destructive(true));
        this.kg = kg;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        NodeKey entity = KgArguments.entity(arguments, "entity");
        String ns = KgArguments.writeNamespace(arguments, context);
        TagChange change = kg.untag(ns, entity.id(), KgArguments.tags(arguments));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("entity", entity.id());
        result.put("namespace", ns);
        result.put("removed", change.changed());
        result.put("tags", change.tags());
        result.put("success", change.entityExists());
        return ToolResult.structured(result);
    }
}
