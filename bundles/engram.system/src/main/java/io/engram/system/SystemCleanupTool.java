package io.engram.system;

import io.engram.api.store.StoreAdmin.CleanupResult;
import io.engram.api.store.StoreException;
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

/** {@code system_cleanup}: frees reader slots of dead processes and, on request, compacts the store. */
@Component(service = Tool.class)
public class SystemCleanupTool extends AbstractTool {

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "compact": {
                  "type": "boolean",
                  "default": false,
                  "description": "Also rewrite the store without its free pages, so the file shrinks. Refused while other Engram processes have the store open."
                },
                "reindex": {
                  "type": "boolean",
                  "default": false,
                  "description": "Rebuild search indices. Engram keeps none yet (search reads the records directly), so this does nothing and reindexed stays false."
                }
              }
            }
            """;

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "staleReadersCleared": {"type": "integer", "description": "Reader slots of dead processes that were freed."},
                "compacted": {"type": "boolean", "description": "Whether the store was compacted."},
                "bytesBefore": {"type": "integer", "description": "Database file size before."},
                "bytesAfter": {"type": "integer", "description": "Database file size after."},
                "removedText": {"type": "integer", "description": "Entries removed from a text index: always 0, there is none yet."},
                "removedEdges": {"type": "integer", "description": "Edges removed from a graph: always 0, there is none yet."},
                "reindexed": {"type": "boolean", "description": "Whether indices were rebuilt: always false, there are none yet."}
              },
              "required": ["staleReadersCleared", "compacted", "bytesBefore", "bytesAfter", "removedText", "removedEdges", "reindexed"]
            }
            """;

    private static final String DESCRIPTION =
            "Tidy the store: free reader slots left by crashed processes and, with compact true, rewrite the"
            + " store so its file shrinks (refused while other Engram processes use it; the error names their"
            + " PIDs). reindex is accepted but does nothing yet: there are no search indices to rebuild."
            + " Reports what it did.";

    private final StorageAccess storage;

    @Activate
    public SystemCleanupTool(@Reference(name = "storage") StorageAccess storage) {
        super("system_cleanup", "Clean up storage", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA,
                ToolAnnotations.destructive(true));
        this.storage = storage;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        boolean compact = arguments.optBoolean("compact", false);
        CleanupResult cleanup;
        try {
            cleanup = storage.admin().cleanup(compact);
        } catch (StoreException e) {
            return ToolResult.error(e.getMessage());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("staleReadersCleared", (long) cleanup.staleReadersCleared());
        result.put("compacted", cleanup.compacted());
        result.put("bytesBefore", cleanup.bytesBefore());
        result.put("bytesAfter", cleanup.bytesAfter());
        result.put("removedText", 0L);
        result.put("removedEdges", 0L);
        result.put("reindexed", false);
        return ToolResult.structured(result);
    }
}
