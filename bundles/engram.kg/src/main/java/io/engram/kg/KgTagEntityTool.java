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

/** {@code kg_tag_entity}: adds tags to an entity, creating it if missing. */
@Component(service = Tool.class)
public class KgTagEntityTool extends AbstractTool {

    static final String TAGS_INPUT = """
            "tags": {"type": "array", "items": {"type": "string"}, "description": "Tags, e.g. [\\"database\\", \\"storage\\"]; trimmed, each kept once."}""";

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "entity": {"type": "string", "description": "The entity's name (created if it does not exist)."},
                %s,
                %s
              },
              "required": ["entity", "tags"]
            }
            """.formatted(TAGS_INPUT, KgSchemas.NAMESPACE_WRITE);

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "entity": {"type": "string"},
                "namespace": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}, "description": "All the entity's tags now."},
                "added": {"type": "array", "items": {"type": "string"}, "description": "The tags it did not have before."},
                "tagged": {"type": "boolean", "description": "True: the entity carries every tag asked for."}
              },
              "required": ["entity", "namespace", "tags", "added", "tagged"]
            }
            """;

    private static final String DESCRIPTION =
            "Tag an entity of the knowledge graph (creating it if missing) to group it with others, e.g. by"
            + " project area or technology; kg_get_tags lists the entities with a tag. Tags are merged with the"
            + " ones it has and never repeated, so repeating a call changes nothing.";

    private final KgEngine kg;

    @Activate
    public KgTagEntityTool(@Reference(name = "kg") KgEngine kg) {
        super("kg_tag_entity", "Tag entity", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA, ToolAnnotations.additive(true));
        this.kg = kg;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        NodeKey entity = KgArguments.entity(arguments, "entity");
        String ns = KgArguments.writeNamespace(arguments, context);
        TagChange change = kg.tag(ns, entity.id(), KgArguments.tags(arguments));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("entity", entity.id());
        result.put("namespace", ns);
        result.put("tags", change.tags());
        result.put("added", change.changed());
        result.put("tagged", true);
        return ToolResult.structured(result);
    }
}
