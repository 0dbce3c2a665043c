package io.engram.kg;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import io.engram.kg.graph.NodeKey;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code kg_create_entity}: creates an entity unless it exists. */
@Component(service = Tool.class)
public class KgCreateEntityTool extends AbstractTool {

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "entity": {"type": "string", "description": "The entity's name: a person, project, library, concept... e.g. \\"LMDB\\"."},
                "entityType": {"type": "string", "description": "Optional kind of entity, e.g. \\"library\\" or \\"person\\"."},
                "observations": {"type": "array", "items": {"type": "string"}, "description": "Optional facts about the entity; ones it already has are not repeated."},
                %s
              },
              "required": ["entity"]
            }
            """.formatted(KgSchemas.NAMESPACE_WRITE);

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "entity": {"type": "string", "description": "The entity's name as stored (trimmed)."},
                "namespace": {"type": "string"},
                "created": {"type": "boolean", "description": "False when the entity already existed."}
              },
              "required": ["entity", "namespace", "created"]
            }
            """;

    private static final String DESCRIPTION =
            "Add an entity (a named thing worth remembering: project, library, person, concept) to the knowledge"
            + " graph, so memories and documents can be linked to it with kg_create_relation and it can be tagged."
            + " Safe to repeat: an existing entity is kept and reported with created: false.";

    private final KgEngine kg;

    @Activate
    public KgCreateEntityTool(@Reference(name = "kg") KgEngine kg) {
        super("kg_create_entity", "Create entity", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA,
                ToolAnnotations.additive(true));
        this.kg = kg;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        NodeKey entity = KgArguments.entity(arguments, "entity");
        String entityType = arguments.optString("entityType", null);
        String ns = KgArguments.writeNamespace(arguments, context);
        boolean created = kg.createEntity(ns, entity, entityType == null || entityType.isBlank() ? null : entityType.trim(),
                KgArguments.optStrings(arguments, "observations"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("entity", entity.id());
        result.put("namespace", ns);
        result.put("created", created);
        return ToolResult.structured(result);
    }
}
