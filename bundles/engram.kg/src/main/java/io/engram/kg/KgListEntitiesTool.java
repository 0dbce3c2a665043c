package io.engram.kg;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code kg_list_entities}: entities, most mentioned first. */
@Component(service = Tool.class)
public class KgListEntitiesTool extends AbstractTool {

    static final int DEFAULT_LIMIT = 50;

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                %s,
                %s,
                %s
              }
            }
            """.formatted(KgSchemas.limit(DEFAULT_LIMIT, "entities"), KgSchemas.CURSOR, KgSchemas.NAMESPACE_READ);

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "entities": {"type": "array", "description": "[name, mentionCount, namespace], most mentioned first.", "items": {"type": "array"}},
                %s
              },
              "required": ["entities", "count", "truncated"]
            }
            """.formatted(KgSchemas.PAGE_OUTPUT);

    private static final String DESCRIPTION =
            "List the knowledge graph's entities, most mentioned first (mentions are MENTIONS relations into an"
            + " entity, e.g. from memories). Use it to see what the graph knows about before searching or reading"
            + " one entity with kg_get_entity. Pages with limit and cursor.";

    private final KgEngine kg;

    @Activate
    public KgListEntitiesTool(@Reference(name = "kg") KgEngine kg) {
        super("kg_list_entities", "List entities", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA, ToolAnnotations.readOnly());
        this.kg = kg;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        Paging.Page page = kg.listEntities(KgArguments.readNamespaces(arguments, context),
                KgArguments.limit(arguments, DEFAULT_LIMIT, kg.settings()), KgArguments.cursor(arguments));
        Map<String, Object> result = new LinkedHashMap<>();
        KgArguments.putPage(result, "entities", page);
        return ToolResult.structured(result);
    }
}
