package io.engram.compat;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import java.io.IOException;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code export_memory_file}: writes a namespace's graph as the reference server's memory.jsonl. */
@Component(service = Tool.class)
public class ExportMemoryFileTool extends AbstractTool {

    private static final String INPUT_SCHEMA = CompatSchemas.object("""
            "path": {"type": "string", "description": "Absolute path of the file to write; an existing file is\
             replaced whole."}, """ + CompatSchemas.NAMESPACE, "path");

    private static final String OUTPUT_SCHEMA = CompatSchemas.object("""
            "path": {"type": "string"}, "namespace": {"type": "string"}, \
            "entities": {"type": "integer", "description": "Entities written."}, \
            "relations": {"type": "integer", "description": "Relations written."}""",
            "path", "namespace", "entities", "relations");

    private static final String DESCRIPTION = "Export the knowledge graph of a namespace as the reference memory"
            + " server's memory.jsonl (one JSON object a line: entities, then relations), readable by that server"
            + " and by import_memory_file. The file is written aside and then renamed over the path.";

    private final ReferenceGraph graph;

    @Activate
    public ExportMemoryFileTool(@Reference(name = "graph") ReferenceGraph graph) {
        super("export_memory_file", "Export memory file", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA,
                ToolAnnotations.destructive(true));
        this.graph = graph;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        Path file = MemoryFile.path(arguments.string("path"));
        String ns = CompatArguments.namespace(arguments, context, graph);
        try {
            return ToolResult.structured(MemoryFile.exportFile(graph, ns, file));
        } catch (IOException e) {
            return ToolResult.error("Cannot write " + file + ": " + e);
        }
    }
}
