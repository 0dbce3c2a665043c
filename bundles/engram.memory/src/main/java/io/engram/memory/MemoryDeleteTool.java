package io.engram.memory;

import io.engram.api.tool.Arguments;
import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code memory_delete}: removes a memory, optionally keeping a backup copy. */
@Component(service = Tool.class)
public class MemoryDeleteTool extends AbstractTool {

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "id": {"type": "string", "description": "Id of the memory to delete."},
                "backup": {
                  "type": "boolean",
                  "default": false,
                  "description": "Keep a copy of the deleted memory in the backup area."
                }
              },
              "required": ["id"]
            }
            """;

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "deleted": {"type": "boolean", "description": "False when no memory had that id (already deleted or expired)."},
                "namespace": {"type": "string", "description": "Present when deleted: the namespace the memory was in."},
                "cascaded": {"type": "integer", "description": "Dependent items removed with it: its links to knowledge-graph entities (MENTIONS)."},
                "backedUp": {"type": "boolean", "description": "Present when backup was asked for: whether a copy was kept."}
              },
              "required": ["deleted", "cascaded"]
            }
            """;

    private static final String DESCRIPTION =
            "Delete a saved memory that is wrong or no longer wanted. Pass backup true to keep a copy."
            + " Deleting an id that does not exist does nothing and answers deleted false.";

    private final MemoryEngine memory;

    @Activate
    public MemoryDeleteTool(@Reference(name = "memory") MemoryEngine memory) {
        super("memory_delete", "Delete memory", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA,
                ToolAnnotations.destructive(true));
        this.memory = memory;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        boolean backup = arguments.optBoolean("backup", false);
        DeleteOutcome outcome = memory.delete(arguments.string("id"), backup);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("deleted", outcome.deleted());
        if (outcome.namespace() != null) {
            result.put("namespace", outcome.namespace());
        }
        result.put("cascaded", (long) outcome.cascaded());
        if (backup) {
            result.put("backedUp", outcome.backedUp());
        }
        return ToolResult.structured(result);
    }
}
