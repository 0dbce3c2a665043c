package io.engram.tests.plugins.noter;

import io.engram.api.store.Store;
import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import io.engram.kg.graph.KnowledgeGraph;
import io.engram.kg.graph.NodeKey;
import io.engram.kg.graph.NodeType;
import io.engram.kg.graph.Relations;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * A test plugin that uses the knowledge graph the way the memory family will: {@code note_add}
 * stores a note in its own keyspace and links it to the entities it names with MENTIONS edges,
 * all in one write transaction; {@code fail: true} makes that transaction fail after the links.
 */
@Component(service = Tool.class)
public class NoteTool extends AbstractTool {

    private final Store store;
    private final KnowledgeGraph graph;

    @Activate
    public NoteTool(@Reference Store store, @Reference KnowledgeGraph graph) {
        super("note_add", "Add note", "Stores a note and links it to the entities it names.",
                "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},\"text\":{\"type\":\"string\"},"
                        + "\"entities\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
                        + "\"fail\":{\"type\":\"boolean\"}},\"required\":[\"id\",\"text\",\"entities\"]}",
                null, ToolAnnotations.additive(false));
        this.store = store;
        this.graph = graph;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String id = arguments.string("id");
        String text = arguments.string("text");
        List<Object> entities = arguments.optList("entities");
        boolean fail = arguments.optBoolean("fail", false);
        store.write(txn -> {
            txn.put("noter.notes", id.getBytes(StandardCharsets.UTF_8), text.getBytes(StandardCharsets.UTF_8));
            for (Object entity : entities) {
                graph.relate(txn, context.namespace(), new NodeKey(NodeType.MEMORY, id),
                        NodeKey.entity((String) entity), Relations.MENTIONS);
            }
            if (fail) {
                throw new IllegalStateException("the note could not be stored");
            }
            return null;
        });
        return ToolResult.text("stored note " + id);
    }
}
