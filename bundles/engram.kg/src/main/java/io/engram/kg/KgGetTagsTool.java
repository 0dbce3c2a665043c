package io.engram.kg;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import io.engram.kg.graph.GraphNames;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code kg_get_tags}: the entities with a tag, or every tag in use. */
@Component(service = Tool.class)
public class KgGetTagsTool extends AbstractTool {

    static final int DEFAULT_LIMIT = 100;

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "tag": {"type": "string", "description": "A tag: answer the entities carrying it. Without: answer every tag in use."},
                %s,
                %s,
                %s
              }
            }
            """.formatted(KgSchemas.limit(DEFAULT_LIMIT, "tags or entities"), KgSchemas.CURSOR, KgSchemas.NAMESPACE_READ);

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "tag": {"type": "string", "description": "The tag asked for."},
                "entities": {"type": "array", "description": "With tag: [entityName, namespace] of each entity carrying it.", "items": {"type": "array", "items": {"type": "string"}}},
                "tags": {"type": "array", "description": "Without tag: [tag, namespace] of each tag in use.", "items": {"type": "array", "items": {"type": "string"}}},
                %s
              },
              "required": ["count", "truncated"]
            }
            """.formatted(KgSchemas.PAGE_OUTPUT);

    private static final String DESCRIPTION =
            "List the tags used in the knowledge graph, or, given a tag, the entities carrying it. Use it to browse"
            + " the graph by topic. Pages with limit and cursor.";

    private final KgEngine kg;

    @Activate
    public KgGetTagsTool(@Reference(name = "kg") KgEngine kg) {
        super("kg_get_tags", "Get tags", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA, ToolAnnotations.readOnly());
        this.kg = kg;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String given = arguments.optString("tag", null);
        String tag;
        try {
            tag = given == null ? null : GraphNames.tag(given);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("tag", e.getMessage());
        }
        Paging.Page page = kg.getTags(KgArguments.readNamespaces(arguments, context), tag,
                KgArguments.limit(arguments, DEFAULT_LIMIT, kg.settings()), KgArguments.cursor(arguments));
        Map<String, Object> result = new LinkedHashMap<>();
        if (tag != null) {
            result.put("tag", tag);
        }
        KgArguments.putPage(result, tag != null ? "entities" : "tags", page);
        return ToolResult.structured(result);
    }
}
