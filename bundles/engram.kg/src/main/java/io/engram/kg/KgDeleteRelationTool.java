package io.engram.kg;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import io.engram.kg.graph.NodeKey;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code kg_delete_relation}: removes one relation. */
@Component(service = Tool.class)
public class KgDeleteRelationTool extends AbstractTool {

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "src": {"type": "string", "description": "Source node. %1$s"},
                "dst": {"type": "string", "description": "Destination node. %1$s"},
                "relation": {"type": "string", "default": "RELATED", "description": "The relation's name, as created."},
                %2$s
              },
              "required": ["src", "dst"]
            }
            """.formatted(KgCreateRelationTool.NODE_KEY_HELP, KgSchemas.NAMESPACE_WRITE);

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                %s,
                "deleted": {"type": "boolean", "description": "False when there was no such relation."}
              },
              "required": ["src", "dst", "relation", "namespace", "deleted"]
            }
            """.formatted(KgCreateRelationTool.EDGE_OUTPUT_PROPERTIES);

    private static final String DESCRIPTION =
            "Remove one relation between two nodes of the knowledge graph (the nodes stay). Removing a MENTIONS"
            + " relation lowers the entity's mention count.";

    private final KgEngine kg;

    @Activate
    public KgDeleteRelationTool(@Reference(name = "kg") KgEngine kg) {
        super("kg_delete_relation", "Delete relation", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA,
                ToolAnnotations.destructive(true));
        this.kg = kg;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        NodeKey src = KgArguments.nodeKey(arguments, "src");
        NodeKey dst = KgArguments.nodeKey(arguments, "dst");
        String relation = KgArguments.relation(arguments);
        String ns = KgArguments.writeNamespace(arguments, context);
        boolean deleted = kg.deleteRelation(ns, src, dst, relation);
        Map<String, Object> result = KgCreateRelationTool.edge(src, dst, relation, ns);
        result.put("deleted", deleted);
        return ToolResult.structured(result);
    }
}
