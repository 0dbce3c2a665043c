package io.engram.memory;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code advanced_reindex}: rebuilds the memories' search index from the stored memories, online. The
 * build runs on its own thread; the call waits for it up to {@link #WAIT_SECONDS} and otherwise says it
 * goes on ({@code system_status} shows when it is done). A call while a build runs joins it.
 */
@Component(service = Tool.class)
public class AdvancedReindexTool extends AbstractTool {

    /** How long a call waits for the build before answering that it goes on. */
    static final long WAIT_SECONDS = 20;

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "text": {"type": "boolean", "default": true, "description": "Rebuild the full-text index of the memories."},
                "vector": {"type": "boolean", "default": false, "description": "Embed every memory again (needs the semantic search bundle)."},
                "graph": {"type": "boolean", "default": false, "description": "Accepted for compatibility: the knowledge graph's indexes are written with the graph and need no rebuild."}
              }
            }
            """;

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "text": {"type": "integer", "description": "Memories this call indexed (those written during the build are indexed by their own writes); absent when not asked or still running."},
                "textDone": {"type": "boolean", "description": "Whether the text index build finished within this call; when false it goes on in the background."},
                "vector": {"type": "integer", "description": "Memories queued to be embedded again; absent when not asked or when semantic search is not installed."},
                "graph": {"type": "integer", "description": "Always 0: nothing to rebuild."},
                "notes": {"type": "array", "items": {"type": "string"}},
                "tookMs": {"type": "integer"}
              },
              "required": ["tookMs"]
            }
            """;

    private static final String DESCRIPTION =
            "Rebuild the memory search index from the stored memories, while other calls go on. Only needed after"
            + " an upgrade that changes how text is indexed, or to re-embed memories for semantic search; searches keep"
            + " working meanwhile.";

    private final MemoryEngine memory;
    private CompletableFuture<Long> textBuild;

    @Activate
    public AdvancedReindexTool(@Reference(name = "memory") MemoryEngine memory) {
        super("advanced_reindex", "Rebuild search indexes", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA,
                ToolAnnotations.additive(true));
        this.memory = memory;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) throws InterruptedException {
        long started = System.nanoTime();
        Map<String, Object> result = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        if (arguments.optBoolean("text", true)) {
            CompletableFuture<Long> build = textBuild();
            try {
                result.put("text", build.get(WAIT_SECONDS, TimeUnit.SECONDS));
                result.put("textDone", true);
            } catch (TimeoutException e) {
                result.put("textDone", false);
                notes.add("the text index build goes on in the background; system_status shows memory.text_index"
                        + " state ready when it is done, and searches use the old index until then");
            } catch (ExecutionException e) {
                throw new IllegalStateException("rebuilding the text index failed: " + e.getCause().getMessage(),
                        e.getCause());
            }
        }
        if (arguments.optBoolean("vector", false)) {
            if (memory.semanticIndex() == null) {
                notes.add("semantic search is not installed, so there are no vectors to rebuild");
            } else {
                result.put("vector", memory.backfillSemantic(true));
                notes.add("the memories are embedded again in the background; system_status shows how many wait");
            }
        }
        if (arguments.optBoolean("graph", false)) {
            result.put("graph", 0L);
            notes.add("the knowledge graph's indexes are written in the same transactions as the graph: nothing to"
                    + " rebuild");
        }
        if (!notes.isEmpty()) {
            result.put("notes", notes);
        }
        result.put("tookMs", (System.nanoTime() - started) / 1_000_000);
        return ToolResult.structured(result);
    }

    /** The build under way, or a new one on its own thread. */
    private synchronized CompletableFuture<Long> textBuild() {
        if (textBuild == null || textBuild.isDone()) {
            textBuild = new CompletableFuture<>();
            CompletableFuture<Long> build = textBuild;
            Thread thread = new Thread(() -> {
                try {
                    build.complete(memory.rebuildIndex());
                } catch (Throwable e) {
                    build.completeExceptionally(e);
                }
            }, "engram-reindex");
            thread.setDaemon(true);
            thread.start();
        }
        return textBuild;
    }
}
