package io.engram.memory;

import io.engram.api.tool.Arguments;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code memory_add}: stores a new memory and answers its id once it is durable. */
@Component(service = Tool.class)
public class MemoryAddTool extends AbstractTool {

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "content": {
                  "type": "string",
                  "description": "The text to remember. Make it self-contained: it will be read later without this conversation."
                },
                "metadata": {
                  "type": "object",
                  "description": "Optional JSON object stored with the memory, e.g. {\\"tags\\": [\\"build\\"], \\"project\\": \\"engram\\"}."
                },
                "references": {
                  "type": "array",
                  "description": "Documents this memory is about or was taken from.",
                  "items": {
                    "type": "object",
                    "properties": {
                      "docId": {"type": "string", "description": "Document id."},
                      "chunkId": {"type": "string", "description": "Chunk of the document, if the memory concerns one part."},
                      "score": {"type": "number", "description": "How relevant the document is to the memory, 0 to 1."}
                    },
                    "required": ["docId"]
                  }
                },
                "layer_hint": {
                  "type": "string",
                  "enum": ["STM", "LTM"],
                  "default": "STM",
                  "description": "STM (short-term) memories expire after a while (1 hour unless configured otherwise); LTM (long-term) memories stay until deleted."
                },
                "session_id": {
                  "type": "string",
                  "description": "The session or conversation the memory belongs to; memory_search can filter on it."
                },
                "episode_id": {
                  "type": "string",
                  "description": "The task or episode the memory belongs to; memory_search can filter on it."
                },
                "namespace": {
                  "type": "string",
                  "description": "Where the memory belongs. Leave it out for the current workspace; \\"global\\" shares it with every workspace (use it for knowledge meant for all projects)."
                },
                "entities": {
                  "type": "array",
                  "items": {"type": "string"},
                  "description": "Knowledge-graph entities this memory is about, besides the known ones its content names (those are linked anyway); missing ones are created, e.g. [\\"Rust\\"]."
                }
              },
              "required": ["content"]
            }
            """;

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "id": {"type": "string", "description": "The new memory's id."},
                "namespace": {"type": "string", "description": "The namespace it was stored in."},
                "layer": {"type": "string", "enum": ["STM", "LTM"]},
                "version": {"type": "integer", "description": "1 for a new memory."},
                "created_at": {"type": "integer", "description": "Creation time, epoch milliseconds."},
                "expires_at": {"type": "integer", "description": "When a short-term memory expires, epoch milliseconds; absent for LTM."},
                "entities": {
                  "type": "array",
                  "items": {"type": "string"},
                  "description": "The knowledge-graph entities the memory was linked to (MENTIONS); absent when the knowledge graph is not running."
                }
              },
              "required": ["id", "namespace", "layer", "version", "created_at"]
            }
            """;

    private static final String DESCRIPTION =
            "Save a memory (a fact, decision, preference or piece of context) so it can be found in later"
            + " conversations with memory_search. Memories are short-term (STM) by default and expire after"
            + " a while (1 hour by default); pass layer_hint \"LTM\" for anything worth keeping. It belongs to the"
            + " current workspace unless namespace says otherwise (\"global\": every workspace). It is linked to the"
            + " knowledge-graph entities its content names (and to those listed in entities). Returns the new id.";

    private final MemoryEngine memory;

    @Activate
    public MemoryAddTool(@Reference(name = "memory") MemoryEngine memory) {
        super("memory_add", "Add memory", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA,
                ToolAnnotations.additive(false));
        this.memory = memory;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        NewMemory request = new NewMemory(
                arguments.string("content"),
                arguments.optObject("metadata"),
                references(arguments.optList("references")),
                Layer.fromArgument("layer_hint", arguments.optString("layer_hint", null), Layer.STM),
                MemoryArguments.optText(arguments, "session_id"),
                MemoryArguments.optText(arguments, "episode_id"),
                namespace(arguments, context),
                entities(arguments.optList("entities")));
        AddOutcome outcome = memory.addLinked(request);
        Memory added = outcome.memory();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", added.id());
        result.put("namespace", added.namespace());
        result.put("layer", added.layer().name());
        result.put("version", added.version());
        result.put("created_at", added.createdAt());
        if (added.expiresAt() != null) {
            result.put("expires_at", added.expiresAt());
        }
        if (outcome.entities() != null) {
            result.put("entities", outcome.entities());
        }
        return ToolResult.structured(result);
    }

    private static String namespace(Arguments arguments, ToolContext context) {
        String named = MemoryArguments.optNamespace(arguments);
        return named != null ? named : context.namespace();
    }

    /** The entity names, trimmed; null when none are given. */
    private static List<String> entities(List<Object> values) {
        if (values == null) {
            return null;
        }
        List<String> names = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            if (!(values.get(i) instanceof String name) || name.isBlank()) {
                throw new InvalidArgumentException("entities[" + i + "]", values.get(i) instanceof String
                        ? "must not be empty" : "expected a string, got " + Arguments.jsonType(values.get(i)));
            }
            names.add(name.trim());
        }
        return names;
    }

    private static List<DocRef> references(List<Object> values) {
        if (values == null) {
            return null;
        }
        List<DocRef> references = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String field = "references[" + i + "]";
            if (!(values.get(i) instanceof Map<?, ?> item)) {
                throw new InvalidArgumentException(field, "expected an object, got " + Arguments.jsonType(values.get(i)));
            }
            Object docId = item.get("docId");
            if (!(docId instanceof String text) || text.isBlank()) {
                throw new InvalidArgumentException(field + ".docId",
                        docId == null ? "required" : "expected a non-empty string, got " + Arguments.jsonType(docId));
            }
            Object chunkId = item.get("chunkId");
            if (chunkId != null && !(chunkId instanceof String)) {
                throw new InvalidArgumentException(field + ".chunkId", "expected a string, got " + Arguments.jsonType(chunkId));
            }
            Object score = item.get("score");
            if (score != null && !(score instanceof Number)) {
                throw new InvalidArgumentException(field + ".score", "expected a number, got " + Arguments.jsonType(score));
            }
            references.add(new DocRef(text, (String) chunkId, score == null ? null : ((Number) score).doubleValue()));
        }
        return references;
    }
}
