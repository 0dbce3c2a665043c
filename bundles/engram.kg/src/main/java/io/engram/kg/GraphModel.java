package io.engram.kg;

import io.engram.api.store.ReadTxn;
import io.engram.api.store.WriteTxn;
import io.engram.kg.graph.Edge;
import io.engram.kg.graph.GraphNames;
import io.engram.kg.graph.KnowledgeGraph;
import io.engram.kg.graph.Node;
import io.engram.kg.graph.NodeDeletion;
import io.engram.kg.graph.NodeKey;
import io.engram.kg.graph.NodeType;
import io.engram.kg.graph.Relations;
import io.engram.kg.graph.TagChange;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The graph's records and indexes ({@link GraphKeys}), changed only inside a caller's write
 * transaction so that each change is all or nothing. Holds no state but a clock.
 */
public class GraphModel implements KnowledgeGraph {

    private static final byte[] EMPTY = new byte[0];
    /** Entities read at a time when a search has to look at every one. */
    private static final int WALK_BATCH = 64;

    private final Clock clock;

    public GraphModel(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean ensureNode(WriteTxn txn, String namespace, NodeKey key) {
        String ns = GraphNames.namespace(namespace);
        byte[] nodeKey = GraphKeys.node(ns, key);
        if (txn.get(GraphKeys.NODES, nodeKey) != null) {
            return false;
        }
        insert(txn, ns, key, nodeKey, NodeRecord.created(clock.millis()));
        return true;
    }

    /** Writes a new node's record and its index entries. */
    private static void insert(WriteTxn txn, String ns, NodeKey key, byte[] nodeKey, NodeRecord record) {
        txn.put(GraphKeys.NODES, nodeKey, record.encode());
        txn.put(GraphKeys.LOWER, GraphKeys.lower(ns, key), EMPTY);
        if (key.type() == NodeType.ENTITY) {
            txn.put(GraphKeys.MENTIONS, GraphKeys.mentions(ns, record.mentions, key.id()), EMPTY);
            EntityWordIndex.update(txn, ns, key.id(), Set.of(), words(key, record));
        }
    }

    private static Set<String> words(NodeKey entity, NodeRecord record) {
        return EntityWords.of(entity.id(), record.entityType, record.observations);
    }

    @Override
    public boolean relate(WriteTxn txn, String namespace, NodeKey src, NodeKey dst, String relation) {
        String ns = GraphNames.namespace(namespace);
        String rel = Relations.normalize(relation);
        byte[] out = GraphKeys.out(ns, src, rel, dst);
        if (txn.get(GraphKeys.OUT, out) != null) {
            return false;
        }
        ensureNode(txn, ns, src);
        ensureNode(txn, ns, dst);
        txn.put(GraphKeys.OUT, out, EMPTY);
        txn.put(GraphKeys.IN, GraphKeys.in(ns, dst, rel, src), EMPTY);
        if (countsAsMention(dst, rel)) {
            addMentions(txn, ns, dst, 1);
        }
        return true;
    }

    @Override
    public boolean unrelate(WriteTxn txn, String namespace, NodeKey src, NodeKey dst, String relation) {
        String ns = GraphNames.namespace(namespace);
        String rel = Relations.normalize(relation);
        if (!txn.delete(GraphKeys.OUT, GraphKeys.out(ns, src, rel, dst))) {
            return false;
        }
        txn.delete(GraphKeys.IN, GraphKeys.in(ns, dst, rel, src));
        if (countsAsMention(dst, rel) && txn.get(GraphKeys.NODES, GraphKeys.node(ns, dst)) != null) {
            addMentions(txn, ns, dst, -1);
        }
        return true;
    }

    private static boolean countsAsMention(NodeKey dst, String relation) {
        return dst.type() == NodeType.ENTITY && Relations.MENTIONS.equals(relation);
    }

    /** Changes the entity's mention count in its record and in the by-count index together. */
    private void addMentions(WriteTxn txn, String ns, NodeKey entity, long delta) {
        byte[] nodeKey = GraphKeys.node(ns, entity);
        NodeRecord record = NodeRecord.decode(txn.get(GraphKeys.NODES, nodeKey));
        txn.delete(GraphKeys.MENTIONS, GraphKeys.mentions(ns, record.mentions, entity.id()));
        record.mentions = Math.max(0, record.mentions + delta);
        txn.put(GraphKeys.MENTIONS, GraphKeys.mentions(ns, record.mentions, entity.id()), EMPTY);
        txn.put(GraphKeys.NODES, nodeKey, record.encode());
    }

    @Override
    public NodeDeletion deleteNode(WriteTxn txn, String namespace, NodeKey key) {
        String ns = GraphNames.namespace(namespace);
        byte[] nodeKey = GraphKeys.node(ns, key);
        byte[] value = txn.get(GraphKeys.NODES, nodeKey);
        if (value == null) {
            return new NodeDeletion(false, 0, 0);
        }
        int edges = 0;
        // edges out first: unrelate keeps the counts of the entities this node mentioned exact
        for (Edge edge : edgesFrom(txn, ns, key, Integer.MAX_VALUE)) {
            edges += unrelate(txn, ns, edge.src(), edge.dst(), edge.relation()) ? 1 : 0;
        }
        for (Edge edge : edgesTo(txn, ns, key, Integer.MAX_VALUE)) {
            if (txn.delete(GraphKeys.OUT, GraphKeys.out(ns, edge.src(), edge.relation(), key))) {
                txn.delete(GraphKeys.IN, GraphKeys.in(ns, key, edge.relation(), edge.src()));
                edges++;
            }
        }
        NodeRecord record = NodeRecord.decode(value);
        for (String tag : record.tags) {
            txn.delete(GraphKeys.TAGS, GraphKeys.tag(ns, tag, key.id()));
        }
        if (key.type() == NodeType.ENTITY) {
            txn.delete(GraphKeys.MENTIONS, GraphKeys.mentions(ns, record.mentions, key.id()));
            EntityWordIndex.update(txn, ns, key.id(), words(key, record), Set.of());
        }
        txn.delete(GraphKeys.LOWER, GraphKeys.lower(ns, key));
        txn.delete(GraphKeys.NODES, nodeKey);
        return new NodeDeletion(true, edges, record.tags.size());
    }

    @Override
    public TagChange tag(WriteTxn txn, String namespace, String entity, Collection<String> tags) {
        String ns = GraphNames.namespace(namespace);
        NodeKey key = NodeKey.entity(entity);
        Set<String> wanted = checkedTags(tags);
        ensureNode(txn, ns, key);
        NodeRecord record = NodeRecord.decode(txn.get(GraphKeys.NODES, GraphKeys.node(ns, key)));
        List<String> added = new ArrayList<>();
        for (String tag : wanted) {
            if (!record.tags.contains(tag)) {
                record.tags.add(tag);
                added.add(tag);
                txn.put(GraphKeys.TAGS, GraphKeys.tag(ns, tag, key.id()), EMPTY);
            }
        }
        if (!added.isEmpty()) {
            record.updated = clock.millis();
            txn.put(GraphKeys.NODES, GraphKeys.node(ns, key), record.encode());
        }
        return new TagChange(true, record.tags, added);
    }

    @Override
    public TagChange untag(WriteTxn txn, String namespace, String entity, Collection<String> tags) {
        String ns = GraphNames.namespace(namespace);
        NodeKey key = NodeKey.entity(entity);
        Set<String> unwanted = checkedTags(tags);
        byte[] value = txn.get(GraphKeys.NODES, GraphKeys.node(ns, key));
        if (value == null) {
            return new TagChange(false, List.of(), List.of());
        }
        NodeRecord record = NodeRecord.decode(value);
        List<String> removed = new ArrayList<>();
        for (String tag : unwanted) {
            if (record.tags.remove(tag)) {
                removed.add(tag);
                txn.delete(GraphKeys.TAGS, GraphKeys.tag(ns, tag, key.id()));
            }
        }
        if (!removed.isEmpty()) {
            record.updated = clock.millis();
            txn.put(GraphKeys.NODES, GraphKeys.node(ns, key), record.encode());
        }
        return new TagChange(true, record.tags, removed);
    }

    private static Set<String> checkedTags(Collection<String> tags) {
        Set<String> checked = new LinkedHashSet<>();
        for (String tag : tags) {
            checked.add(GraphNames.tag(tag));
        }
        return checked;
    }

    @Override
    public Node updateEntity(WriteTxn txn, String namespace, String entity, String entityType,
            Collection<String> addObservations, Collection<String> removeObservations) {
        String ns = GraphNames.namespace(namespace);
        NodeKey key = NodeKey.entity(entity);
        byte[] nodeKey = GraphKeys.node(ns, key);
        byte[] stored = txn.get(GraphKeys.NODES, nodeKey);
        // a new entity is written once, with its type and observations, not created empty and then changed
        NodeRecord record = stored == null ? NodeRecord.created(clock.millis()) : NodeRecord.decode(stored);
        Set<String> wordsBefore = stored == null ? Set.of() : words(key, record);
        boolean changed = false;
        if (entityType != null && !entityType.equals(record.entityType)) {
            record.entityType = entityType;
            changed = true;
        }
        for (String observation : addObservations) {
            if (!record.observations.contains(observation)) {
                record.observations.add(observation);
                changed = true;
            }
        }
        changed |= record.observations.removeAll(removeObservations);
        if (stored == null) {
            insert(txn, ns, key, nodeKey, record);
        } else if (changed) {
            record.updated = clock.millis();
            txn.put(GraphKeys.NODES, nodeKey, record.encode());
            EntityWordIndex.update(txn, ns, key.id(), wordsBefore, words(key, record));
        }
        return record.toNode(ns, key);
    }

    @Override
    public Optional<Node> node(ReadTxn txn, String namespace, NodeKey key) {
        String ns = GraphNames.namespace(namespace);
        byte[] value = txn.get(GraphKeys.NODES, GraphKeys.node(ns, key));
        return value == null ? Optional.empty() : Optional.of(NodeRecord.decode(value).toNode(ns, key));
    }

    @Override
    public List<NodeKey> entitiesNamedIn(ReadTxn txn, String namespace, String text) {
        return EntityNameFinder.find(txn, GraphNames.namespace(namespace), text);
    }

    @Override
    public List<Node> entities(ReadTxn txn, String namespace, String after, int limit) {
        String ns = GraphNames.namespace(namespace);
        byte[] prefix = GraphKeys.key(ns, NodeType.ENTITY.label() + NodeKey.SEPARATOR);
        // the id as given: an entity whose id itself starts with Entity:: must resume after that id
        byte[] from = after == null ? prefix
                : GraphKeys.successor(GraphKeys.node(ns, new NodeKey(NodeType.ENTITY, after)));
        List<Node> entities = new ArrayList<>();
        if (limit <= 0) {
            return entities;
        }
        txn.scan(GraphKeys.NODES, from, (key, value) -> {
            if (!GraphKeys.startsWith(key, prefix)) {
                return false;
            }
            NodeKey entity = new NodeKey(NodeType.ENTITY, GraphKeys.text(key, prefix.length, key.length));
            entities.add(NodeRecord.decode(value).toNode(ns, entity));
            return entities.size() < limit;
        });
        return entities;
    }

    @Override
    public List<Node> entitiesContaining(ReadTxn txn, String namespace, String text, String after, int limit) {
        String ns = GraphNames.namespace(namespace);
        String needle = GraphKeys.lowerCase(text);
        List<Node> found = new ArrayList<>();
        Optional<NameStream> candidates = EntityWordIndex.candidates(txn, ns, needle);
        if (candidates.isEmpty()) {
            String last = after;
            for (List<Node> batch; found.size() < limit && !(batch = entities(txn, ns, last, WALK_BATCH)).isEmpty(); ) {
                for (Node node : batch) {
                    if (found.size() < limit && contains(node, needle)) {
                        found.add(node);
                    }
                    last = node.key().id();
                }
            }
            return found;
        }
        NameStream names = candidates.get();
        if (after != null) {
            names.seek(GraphKeys.successor(GraphKeys.utf8(after)));
        }
        for (byte[] name; found.size() < limit && (name = names.current()) != null; names.next()) {
            NodeKey key = new NodeKey(NodeType.ENTITY, GraphKeys.text(name, 0, name.length));
            node(txn, ns, key).filter(node -> contains(node, needle)).ifPresent(found::add);
        }
        return found;
    }

    /** Whether the entity's name, type or one of its observations contains {@code needle} (lower case), ignoring case. */
    private static boolean contains(Node entity, String needle) {
        return GraphKeys.lowerCase(entity.key().id()).contains(needle)
                || entity.entityType() != null && GraphKeys.lowerCase(entity.entityType()).contains(needle)
                || entity.observations().stream().anyMatch(o -> GraphKeys.lowerCase(o).contains(needle));
    }

    @Override
    public List<Edge> edgesFrom(ReadTxn txn, String namespace, NodeKey key, int limit) {
        return edges(txn, GraphKeys.OUT, GraphNames.namespace(namespace), key, limit, true);
    }

    @Override
    public List<Edge> edgesTo(ReadTxn txn, String namespace, NodeKey key, int limit) {
        return edges(txn, GraphKeys.IN, GraphNames.namespace(namespace), key, limit, false);
    }

    private static List<Edge> edges(ReadTxn txn, String keyspace, String ns, NodeKey key, int limit, boolean out) {
        List<Edge> edges = new ArrayList<>();
        txn.scanPrefix(keyspace, GraphKeys.prefix(ns, key.toString()), (k, v) -> {
            edges.add(edge(ns, k, out));
            return edges.size() < limit;
        });
        return edges;
    }

    /** The edge an {@link GraphKeys#OUT} ({@code out}) or {@link GraphKeys#IN} key stands for. */
    static Edge edge(String ns, byte[] key, boolean out) {
        List<String> parts = GraphKeys.parts(key);
        NodeKey first = NodeKey.parse(parts.get(1));
        NodeKey other = NodeKey.parse(parts.get(3));
        return out ? new Edge(ns, first, other, parts.get(2)) : new Edge(ns, other, first, parts.get(2));
    }
}
