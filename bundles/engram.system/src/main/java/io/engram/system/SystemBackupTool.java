package io.engram.system;

import io.engram.api.store.StoreAdmin.BackupResult;
import io.engram.api.store.StoreException;
import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code system_backup}: a consistent, compacted copy of the store, taken while writers go on. */
@Component(service = Tool.class)
public class SystemBackupTool extends AbstractTool {

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "destination": {
                  "type": "string",
                  "description": "Folder to write the backup into; it must not exist or be empty. A relative path is taken from Engram's data folder. Default: <data folder>/backups/<UTC time>."
                },
                "includeIndices": {
                  "type": "boolean",
                  "default": true,
                  "description": "Accepted for compatibility. Engram keeps no separate search indices yet, so every backup holds everything and this changes nothing."
                }
              }
            }
            """;

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "path": {"type": "string", "description": "The folder holding the backup; give it to system_restore."},
                "sizeMb": {"type": "number", "description": "Size of the backup in MiB."},
                "bytes": {"type": "integer", "description": "Size of the backup in bytes."},
                "tookMs": {"type": "integer", "description": "How long the backup took."}
              },
              "required": ["path", "sizeMb", "bytes", "tookMs"]
            }
            """;

    private static final String DESCRIPTION =
            "Back up every memory: writes a consistent, compacted copy of the store to a new folder while"
            + " this and other Engram processes keep working. Returns the folder, its size and the time taken;"
            + " system_restore brings it back.";

    private static final double MIB = 1024.0 * 1024.0;

    private final StorageAccess storage;

    @Activate
    public SystemBackupTool(@Reference(name = "storage") StorageAccess storage) {
        super("system_backup", "Back up memories", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA,
                ToolAnnotations.additive(false));
        this.storage = storage;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String destination = arguments.optString("destination", null);
        Path target = destination == null || destination.isBlank()
                ? storage.defaultBackupFolder(Instant.now())
                : storage.resolve("destination", destination);
        BackupResult backup;
        try {
            backup = storage.admin().backup(target);
        } catch (StoreException e) {
            return ToolResult.error(e.getMessage());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("path", backup.path());
        result.put("sizeMb", Math.round(backup.bytes() / MIB * 100) / 100.0);
        result.put("bytes", backup.bytes());
        result.put("tookMs", backup.tookMs());
        return ToolResult.structured(result);
    }
}
