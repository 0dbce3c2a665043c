package io.engram.memory;

import io.engram.api.tool.Arguments;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code memory_update}: replaces a memory's content or metadata, or moves it between
 * layers. It overwrites, so it is marked destructive; repeating it changes nothing more.
 */
@Component(service = Tool.class)
public class MemoryUpdateTool extends AbstractTool {

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "id": {"type": "string", "description": "Id of the memory, as returned by memory_add or memory_search."},
                "content": {"type": "string", "description": "New text, replacing the old."},
                "metadata": {"type": "object", "description": "New metadata, replacing the old object as a whole."},
                "layer_hint": {
                  "type": "string",
                  "enum": ["STM", "LTM"],
                  "description": "LTM keeps the memory for good (promotes it); STM makes it expire again after the short-term lifetime."
                }
              },
              "required": ["id"]
            }
            """;

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "id": {"type": "string"},
                "namespace": {"type": "string", "description": "The namespace the memory is in: a workspace or \\"global\\"."},
                "version": {"type": "integer", "description": "The version after the update; it grows by one when something changed."},
                "reembedded": {"type": "boolean", "description": "Whether a vector embedding was recomputed (there is none yet)."},
                "updatedIndices": {
                  "type": "array",
                  "description": "What changed; empty when the update changed nothing.",
                  "items": {"type": "string", "enum": ["text", "metadata", "layer"]}
                }
              },
              "required": ["id", "namespace", "version", "reembedded", "updatedIndices"]
            }
            """;

    private static final String DESCRIPTION =
            "Correct or refine a saved memory: replace its content or metadata, or keep a short-term memory"
            + " for good with layer_hint \"LTM\". Give the id and at least one of content, metadata,"
            + " layer_hint.";

    private final MemoryEngine memory;

    @Activate
    public MemoryUpdateTool(@Reference(name = "memory") MemoryEngine memory) {
        super("memory_update", "Update memory", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA,
                ToolAnnotations.destructive(true));
        this.memory = memory;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String id = arguments.string("id");
        MemoryChanges changes = new MemoryChanges(
                arguments.has("content") ? arguments.string("content") : null,
                arguments.optObject("metadata"),
                Layer.fromArgument("layer_hint", arguments.optString("layer_hint", null), null));
        if (changes.content() == null && changes.metadata() == null && changes.layer() == null) {
            throw new InvalidArgumentException("content, metadata or layer_hint", "give at least one of them");
        }
        Optional<UpdateOutcome> updated = memory.update(id, changes);
        if (updated.isEmpty()) {
            return ToolResult.error("memory not found: " + id);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", updated.get().id());
        result.put("namespace", updated.get().namespace());
        result.put("version", updated.get().version());
        result.put("reembedded", false);
        result.put("updatedIndices", updated.get().changed());
        return ToolResult.structured(result);
    }
}
