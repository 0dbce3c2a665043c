package io.engram.kg;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import io.engram.kg.graph.NodeType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code kg_search_nodes}: nodes by type and case-insensitive name pattern. */
@Component(service = Tool.class)
public class KgSearchNodesTool extends AbstractTool {

    static final int DEFAULT_LIMIT = 50;

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "type": {"type": "string", "enum": ["Entity", "Document", "Memory", "Episode"], "description": "Only nodes of this type. Default: all types."},
                "pattern": {"type": "string", "description": "Part of the name or id, any case (\\"sql\\" finds PostgreSQL). Ending in * it is a prefix instead (\\"Post*\\"), which is faster on large graphs. Default: every node."},
                %s,
                %s,
                %s
              }
            }
            """.formatted(KgSchemas.limit(DEFAULT_LIMIT, "nodes"), KgSchemas.CURSOR, KgSchemas.NAMESPACE_READ);

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "nodes": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "properties": {
                      "type": {"type": "string", "enum": ["Entity", "Document", "Memory", "Episode"]},
                      "label": {"type": "string", "description": "Name or id."},
                      "nodeKey": {"type": "string"},
                      "namespace": {"type": "string"},
                      "mentionCount": {"type": "integer"},
                      "entityType": {"type": "string"},
                      "tags": {"type": "array", "items": {"type": "string"}},
                      "observationCount": {"type": "integer"}
                    },
                    "required": ["type", "label", "nodeKey", "namespace"]
                  }
                },
                %s
              },
              "required": ["nodes", "count", "truncated"]
            }
            """.formatted(KgSchemas.PAGE_OUTPUT);

    private static final String DESCRIPTION =
            "Find nodes of the knowledge graph by type (Entity, Document, Memory, Episode) and by part of their"
            + " name, ignoring case. Use it to find the exact name of an entity before kg_get_entity or"
            + " kg_create_relation. Ordered by type, then name; pages with limit and cursor.";

    private final KgEngine kg;

    @Activate
    public KgSearchNodesTool(@Reference(name = "kg") KgEngine kg) {
        super("kg_search_nodes", "Search nodes", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA, ToolAnnotations.readOnly());
        this.kg = kg;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String typeName = arguments.optString("type", null);
        NodeType type = typeName == null ? null : NodeType.ofLabel(typeName);
        if (typeName != null && type == null) {
            throw new InvalidArgumentException("type", "must be Entity, Document, Memory or Episode, got '"
                    + typeName + "'");
        }
        String pattern = arguments.optString("pattern", null);
        Paging.Page page = kg.searchNodes(KgArguments.readNamespaces(arguments, context), type,
                pattern == null || pattern.isBlank() ? null : pattern.trim(),
                KgArguments.limit(arguments, DEFAULT_LIMIT, kg.settings()), KgArguments.cursor(arguments));
        Map<String, Object> result = new LinkedHashMap<>();
        KgArguments.putPage(result, "nodes", page);
        return ToolResult.structured(result);
    }
}
