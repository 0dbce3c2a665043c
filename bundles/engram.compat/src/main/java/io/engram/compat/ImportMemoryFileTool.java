package io.engram.compat;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code import_memory_file}: merges the reference server's memory file into a namespace. */
@Component(service = Tool.class)
public class ImportMemoryFileTool extends AbstractTool {

    private static final String INPUT_SCHEMA = CompatSchemas.object("""
            "path": {"type": "string", "description": "Absolute path of the reference server's memory.jsonl (its\
             MEMORY_FILE_PATH) or its older memory.json."}, """ + CompatSchemas.NAMESPACE, "path");

    private static final String OUTPUT_SCHEMA = CompatSchemas.object("""
            "path": {"type": "string"}, "namespace": {"type": "string"}, \
            "format": {"type": "string", "description": "jsonl (one record a line) or json (one object with\
             entities and relations arrays)."}, \
            "records": {"type": "integer", "description": "Records read and merged."}, \
            "entitiesCreated": {"type": "integer"}, \
            "observationsAdded": {"type": "integer", "description": "Observations new to their entity."}, \
            "relationsCreated": {"type": "integer"}, \
            "errorCount": {"type": "integer", "description": "Records not readable; the rest were imported."}, \
            "errors": {"type": "array", "description": "The first 50 of them.", \
            "items": {"type": "object", "properties": {\
            "line": {"type": "string", "description": "Line number, or entities[i] / relations[i] in a json file."}, \
            "message": {"type": "string"}}, "required": ["line", "message"]}}""",
            "path", "namespace", "format", "records", "entitiesCreated", "observationsAdded", "relationsCreated",
            "errorCount", "errors");

    private static final String DESCRIPTION = "Import the knowledge graph of the reference memory server"
            + " (@modelcontextprotocol/server-memory): its memory.jsonl file, or its older memory.json. Entities"
            + " and relations are merged into the namespace: safe to repeat (a second import changes nothing)."
            + " A record that cannot be read is reported with its line and the rest are imported.";

    private final ReferenceGraph graph;

    @Activate
    public ImportMemoryFileTool(@Reference(name = "graph") ReferenceGraph graph) {
        super("import_memory_file", "Import memory file", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA,
                ToolAnnotations.additive(true));
        this.graph = graph;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        Path file = MemoryFile.path(arguments.string("path"));
        String ns = CompatArguments.namespace(arguments, context, graph);
        if (!Files.isRegularFile(file)) {
            return ToolResult.error("No file at " + file + "; give the absolute path of memory.jsonl (the reference"
                    + " server's MEMORY_FILE_PATH; by default it sits beside its dist/index.js)");
        }
        try {
            return ToolResult.structured(MemoryFile.importFile(graph, ns, file));
        } catch (IOException e) {
            return ToolResult.error("Cannot read " + file + ": " + e);
        }
    }
}
