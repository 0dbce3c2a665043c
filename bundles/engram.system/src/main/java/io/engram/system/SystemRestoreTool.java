package io.engram.system;

import io.engram.api.store.StoreAdmin.RestoreResult;
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

/**
 * {@code system_restore}: checks a backup, then replaces the store's contents with it. The
 * storage refuses while other processes have the store open, naming their PIDs.
 */
@Component(service = Tool.class)
public class SystemRestoreTool extends AbstractTool {

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "source": {
                  "type": "string",
                  "description": "Folder of a backup made by system_backup (the path it returned). A relative path is taken from Engram's data folder."
                },
                "includeIndices": {
                  "type": "boolean",
                  "default": true,
                  "description": "Accepted for compatibility. Engram keeps no separate search indices yet, so a restore always brings back everything and this changes nothing."
                }
              },
              "required": ["source"]
            }
            """;

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "restored": {"type": "boolean", "description": "True: the store now holds the backup's contents."},
                "validated": {"type": "boolean", "description": "True: the backup was opened and read before anything was replaced."},
                "source": {"type": "string", "description": "The backup folder restored from."},
                "entries": {"type": "integer", "description": "Entries in the restored store, all keyspaces together."},
                "tookMs": {"type": "integer", "description": "How long the restore took."}
              },
              "required": ["restored", "validated", "entries", "tookMs"]
            }
            """;

    private static final String DESCRIPTION =
            "Replace every memory with the contents of a backup made by system_backup. The backup is checked"
            + " first; if anything fails the current memories stay as they were. Memories saved after the backup"
            + " are lost. Refused while other Engram processes (other IDE windows) have the store open: the"
            + " error names their PIDs; close them and call again.";

    private final StorageAccess storage;

    @Activate
    public SystemRestoreTool(@Reference(name = "storage") StorageAccess storage) {
        super("system_restore", "Restore memories", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA,
                ToolAnnotations.destructive(false));
        this.storage = storage;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        RestoreResult restore;
        try {
            restore = storage.admin().restore(storage.resolve("source", arguments.string("source")));
        } catch (StoreException e) {
            return ToolResult.error(e.getMessage());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("restored", true);
        result.put("validated", true);
        result.put("source", restore.source());
        result.put("entries", restore.entries());
        result.put("tookMs", restore.tookMs());
        return ToolResult.structured(result);
    }
}
