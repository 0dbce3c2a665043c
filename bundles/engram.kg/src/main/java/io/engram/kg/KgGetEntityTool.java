package io.engram.kg;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import io.engram.kg.graph.Node;
import io.engram.kg.graph.NodeKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code kg_get_entity}: one entity with its tags, observations, documents and relations. */
@Component(service = Tool.class)
public class KgGetEntityTool extends AbstractTool {

    static final int DEFAULT_LIMIT = 50;

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "entity": {"type": "string", "description": "The entity's name, e.g. \\"Python\\" (or its key, Entity::Python)."},
                %s,
                %s,
                %s
              },
              "required": ["entity"]
            }
            """.formatted(KgSchemas.limit(DEFAULT_LIMIT, "relations"), KgSchemas.CURSOR, KgSchemas.NAMESPACE_READ);

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "entity": {"type": "string", "description": "The entity's name."},
                "namespace": {"type": "string", "description": "Namespace the entity was found in (the workspace's before global)."},
                "node": {
                  "type": "object",
                  "properties": {
                    "nodeKey": {"type": "string"},
                    "namespace": {"type": "string"},
                    "entityType": {"type": "string"},
                    "observations": {"type": "array", "items": {"type": "string"}},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "mentionCount": {"type": "integer", "description": "MENTIONS relations into the entity."},
                    "createdAt": {"type": "integer", "description": "Epoch milliseconds."},
                    "updatedAt": {"type": "integer", "description": "Epoch milliseconds."}
                  },
                  "required": ["nodeKey", "namespace", "observations", "tags", "mentionCount", "createdAt", "updatedAt"]
                },
                "docs": {"type": "array", "description": "Document nodes related to the entity (at most 50).", "items": {"type": "string"}},
                "docCount": {"type": "integer", "description": "All document nodes related to the entity."},
                "relations": {"type": "array", "description": "This page of its relations, out then in, as [src, dst, relation, namespace].", "items": {"type": "array", "items": {"type": "string"}}},
                %s
              },
              "required": ["entity", "namespace", "node", "docs", "docCount", "relations", "count", "truncated"]
            }
            """.formatted(KgSchemas.PAGE_OUTPUT);

    private static final String DESCRIPTION =
            "Read one entity of the knowledge graph: its type, observations, tags, mention count, related documents"
            + " and relations (paged with limit and cursor). Use it when you know the entity's name; find names"
            + " with kg_search_nodes or kg_list_entities. Looks in the workspace's namespace, then global.";

    private final KgEngine kg;

    @Activate
    public KgGetEntityTool(@Reference(name = "kg") KgEngine kg) {
        super("kg_get_entity", "Get entity", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA, ToolAnnotations.readOnly());
        this.kg = kg;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        NodeKey entity = KgArguments.entity(arguments, "entity");
        List<String> namespaces = KgArguments.readNamespaces(arguments, context);
        Optional<KgEngine.EntityView> found = kg.getEntity(namespaces, entity,
                KgArguments.limit(arguments, DEFAULT_LIMIT, kg.settings()), KgArguments.cursor(arguments));
        if (found.isEmpty()) {
            return ToolResult.error("No entity '" + entity.id() + "' in namespace " + String.join(" or ", namespaces)
                    + "; kg_search_nodes finds names by part, kg_create_entity creates one.");
        }
        KgEngine.EntityView view = found.get();
        Node node = view.node();
        Map<String, Object> nodeMap = new LinkedHashMap<>();
        nodeMap.put("nodeKey", node.key().toString());
        nodeMap.put("namespace", node.namespace());
        if (node.entityType() != null) {
            nodeMap.put("entityType", node.entityType());
        }
        nodeMap.put("observations", node.observations());
        nodeMap.put("tags", node.tags());
        nodeMap.put("mentionCount", node.mentionCount());
        nodeMap.put("createdAt", node.createdAt());
        nodeMap.put("updatedAt", node.updatedAt());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("entity", node.key().id());
        result.put("namespace", node.namespace());
        result.put("node", nodeMap);
        result.put("docs", view.docs());
        result.put("docCount", (long) view.docCount());
        KgArguments.putPage(result, "relations", view.relations());
        return ToolResult.structured(result);
    }
}
