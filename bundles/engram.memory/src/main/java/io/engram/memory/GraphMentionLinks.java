package io.engram.memory;

import io.engram.api.store.WriteTxn;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.ToolContext;
import io.engram.kg.graph.Edge;
import io.engram.kg.graph.KnowledgeGraph;
import io.engram.kg.graph.NodeKey;
import io.engram.kg.graph.NodeType;
import io.engram.kg.graph.Relations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Mentions as MENTIONS edges of the knowledge graph, from node {@code Memory::<id>}. A memory links
 * to the entities of its own namespace that its content names and, for a memory outside
 * {@code global}, to the global entities it names that its namespace has no entity of that name for;
 * an edge joins nodes of one namespace, so those edges start at a {@code Memory::<id>} node in
 * {@code global}, which exists only while it has such links.
 *
 * <p>A component of its own, so that only this class names the graph's package: without engram.kg
 * (the package import is optional) it is never satisfied nor loaded, and {@link MemoryService}
 * links nothing.
 */
@Component(service = MentionLinks.class)
public class GraphMentionLinks implements MentionLinks {

    private static final String GLOBAL = ToolContext.GLOBAL_NAMESPACE;

    private final KnowledgeGraph graph;

    @Activate
    public GraphMentionLinks(@Reference(name = "graph") KnowledgeGraph graph) {
        this.graph = Objects.requireNonNull(graph, "graph");
    }

    @Override
    public void checkNames(String field, List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            try {
                NodeKey.entity(names.get(i));
            } catch (IllegalArgumentException e) {
                throw new InvalidArgumentException(field + "[" + i + "]", e.getMessage());
            }
        }
    }

    @Override
    public List<String> link(WriteTxn txn, String memoryId, String namespace, String content, List<String> named) {
        Map<String, Set<NodeKey>> wanted = new LinkedHashMap<>();
        wanted.put(namespace, new LinkedHashSet<>(graph.entitiesNamedIn(txn, namespace, content)));
        wanted.putIfAbsent(GLOBAL, new LinkedHashSet<>());
        if (!namespace.equals(GLOBAL)) {
            Set<String> own = new LinkedHashSet<>();
            wanted.get(namespace).forEach(entity -> own.add(entity.id().toLowerCase(Locale.ROOT)));
            for (NodeKey entity : graph.entitiesNamedIn(txn, GLOBAL, content)) {
                if (!own.contains(entity.id().toLowerCase(Locale.ROOT))) {
                    wanted.get(GLOBAL).add(entity);
                }
            }
        }
        for (String name : named) {
            NodeKey own = existing(txn, namespace, name);
            NodeKey global = own != null || namespace.equals(GLOBAL) ? null : existing(txn, GLOBAL, name);
            if (global != null) {
                wanted.get(GLOBAL).add(global);
            } else {
                wanted.get(namespace).add(own != null ? own : NodeKey.entity(name));
            }
        }
        NodeKey memory = new NodeKey(NodeType.MEMORY, memoryId);
        graph.ensureNode(txn, namespace, memory);
        List<String> linked = new ArrayList<>();
        for (Map.Entry<String, Set<NodeKey>> entry : wanted.entrySet()) {
            String ns = entry.getKey();
            Set<NodeKey> targets = entry.getValue();
            // one walk of the memory's edges here serves both the unlinking and the check for a node left without any
            List<Edge> edges = graph.edgesFrom(txn, ns, memory, Integer.MAX_VALUE);
            int kept = edges.size();
            for (Edge edge : edges) {
                if (isMention(edge) && !targets.contains(edge.dst())) {
                    graph.unrelate(txn, ns, memory, edge.dst(), Relations.MENTIONS);
                    kept--;
                }
            }
            for (NodeKey entity : targets) {
                graph.relate(txn, ns, memory, entity, Relations.MENTIONS);
                linked.add(entity.id());
            }
            if (targets.isEmpty() && !ns.equals(namespace) && kept == 0) {
                graph.deleteNode(txn, ns, memory); // a global memory node only while it links something
            }
        }
        return linked;
    }

    /** The entity of that name, the same or in another case; null when there is none. */
    private NodeKey existing(WriteTxn txn, String ns, String name) {
        NodeKey exact = NodeKey.entity(name);
        if (graph.node(txn, ns, exact).isPresent()) {
            return exact;
        }
        for (NodeKey entity : graph.entitiesNamedIn(txn, ns, exact.id())) {
            if (entity.id().toLowerCase(Locale.ROOT).equals(exact.id().toLowerCase(Locale.ROOT))) {
                return entity;
            }
        }
        return null;
    }

    private static boolean isMention(Edge edge) {
        return edge.relation().equals(Relations.MENTIONS) && edge.dst().type() == NodeType.ENTITY;
    }

    @Override
    public int unlink(WriteTxn txn, String memoryId, String namespace) {
        NodeKey memory = new NodeKey(NodeType.MEMORY, memoryId);
        int removed = graph.deleteNode(txn, namespace, memory).edgesRemoved();
        if (!namespace.equals(GLOBAL)) {
            removed += graph.deleteNode(txn, GLOBAL, memory).edgesRemoved();
        }
        return removed;
    }
}
