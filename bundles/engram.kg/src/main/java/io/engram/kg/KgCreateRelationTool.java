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

/** {@code kg_create_relation}: links two nodes, creating missing ones. */
@Component(service = Tool.class)
public class KgCreateRelationTool extends AbstractTool {

    static final String NODE_KEY_HELP = "Node key: Entity::<name>, Document::<id>, Memory::<id> or Episode::<id>;"
            + " a plain name means an entity.";

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "src": {"type": "string", "description": "Source node. %1$s"},
                "dst": {"type": "string", "description": "Destination node. %1$s"},
                "relation": {"type": "string", "default": "RELATED", "description": "RELATED (default), MENTIONS (the source mentions the destination; counts as the entity's mention), EVIDENCE (the source supports the destination), or any other name such as works_on."},
                %2$s
              },
              "required": ["src", "dst"]
            }
            """.formatted(NODE_KEY_HELP, KgSchemas.NAMESPACE_WRITE);

    static final String EDGE_OUTPUT_PROPERTIES = """
            "src": {"type": "string", "description": "Source node key."},
                "dst": {"type": "string", "description": "Destination node key."},
                "relation": {"type": "string"},
                "namespace": {"type": "string"}""";

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                %s,
                "created": {"type": "boolean", "description": "False when the relation already existed."}
              },
              "required": ["src", "dst", "relation", "namespace", "created"]
            }
            """.formatted(EDGE_OUTPUT_PROPERTIES);

    private static final String DESCRIPTION =
            "Link two nodes of the knowledge graph: an entity to another (RELATED or a name of your own such as"
            + " depends_on), a memory or document to the entities it mentions (MENTIONS), or evidence to a claim"
            + " (EVIDENCE). Missing nodes are created. Safe to repeat: an existing relation is reported with"
            + " created: false.";

    private final KgEngine kg;

    @Activate
    public KgCreateRelationTool(@Reference(name = "kg") KgEngine kg) {
        super("kg_create_relation", "Create relation", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA,
                ToolAnnotations.additive(true));
        this.kg = kg;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        NodeKey src = KgArguments.nodeKey(arguments, "src");
        NodeKey dst = KgArguments.nodeKey(arguments, "dst");
        String relation = KgArguments.relation(arguments);
        String ns = KgArguments.writeNamespace(arguments, context);
        boolean created = kg.createRelation(ns, src, dst, relation);
        Map<String, Object> result = edge(src, dst, relation, ns);
        result.put("created", created);
        return ToolResult.structured(result);
    }

    static Map<String, Object> edge(NodeKey src, NodeKey dst, String relation, String ns) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("src", src.toString());
        result.put("dst", dst.toString());
        result.put("relation", relation);
        result.put("namespace", ns);
        return result;
    }
}
