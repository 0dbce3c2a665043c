package io.engram.kg;

import io.engram.api.store.ReadTxn;
import io.engram.api.store.Store;
import io.engram.api.store.StoreException;
import io.engram.api.store.StoreStatus;
import io.engram.kg.graph.Edge;
import io.engram.kg.graph.GraphNames;
import io.engram.kg.graph.Node;
import io.engram.kg.graph.NodeDeletion;
import io.engram.kg.graph.NodeKey;
import io.engram.kg.graph.NodeType;
import io.engram.kg.graph.TagChange;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the kg tools do, over the Store: each write is one write transaction on the
 * {@link GraphModel}; each read is one read transaction walking an index a page at a time
 * ({@link Paging}), across the namespaces asked for, each item saying its namespace.
 */
public class KgEngine {

    /** Most distinct documents get_entity lists; docCount still counts them all. */
    static final int MAX_DOCS = 50;
    /** About what kg_get_entity's fixed fields (names, type, counts, times) take. */
    private static final int ENTITY_FIELDS_CHARS = 300;

    private final Store store;
    private final GraphModel graph;
    private volatile KgSettings settings;

    public KgEngine(Store store, Clock clock, KgSettings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.graph = new GraphModel(clock);
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public KgSettings settings() {
        return settings;
    }

    public void applySettings(KgSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The model, for work inside a caller's transaction. */
    public GraphModel graph() {
        return graph;
    }

    // ---- writes: one transaction each ----

    /** Creates the entity unless it exists; sets its type and adds observations when given. Returns whether it was new. */
    public boolean createEntity(String ns, NodeKey entity, String entityType, List<String> observations) {
        return store.write(txn -> {
            boolean created = graph.ensureNode(txn, ns, entity);
            if (entityType != null || !observations.isEmpty()) {
                graph.updateEntity(txn, ns, entity.id(), entityType, observations, List.of());
            }
            return created;
        });
    }

    public boolean createRelation(String ns, NodeKey src, NodeKey dst, String relation) {
        return store.write(txn -> graph.relate(txn, ns, src, dst, relation));
    }

    public boolean deleteRelation(String ns, NodeKey src, NodeKey dst, String relation) {
        return store.write(txn -> graph.unrelate(txn, ns, src, dst, relation));
    }

    public NodeDeletion deleteNode(String ns, NodeKey key) {
        return store.write(txn -> graph.deleteNode(txn, ns, key));
    }

    public TagChange tag(String ns, String entity, Collection<String> tags) {
        return store.write(txn -> graph.tag(txn, ns, entity, tags));
    }

    public TagChange untag(String ns, String entity, Collection<String> tags) {
        return store.write(txn -> graph.untag(txn, ns, entity, tags));
    }

    // ---- reads: one transaction each, paged ----

    /** Entities by mention count, most mentioned first: items {@code [name, mentionCount, namespace]}. */
    public Paging.Page listEntities(List<String> namespaces, int limit, String cursor) {
        List<Paging.Source> sources = new ArrayList<>();
        for (String ns : namespaces) {
            sources.add(new Paging.Source(GraphKeys.MENTIONS, GraphKeys.prefix(ns)));
        }
        return store.read(txn -> Paging.page(txn, kind("list_entities", namespaces), sources,
                Paging.suffixOrder(sources), cursor, limit, settings.responseBudgetChars(), hit -> {
                    int prefix = sources.get(hit.source()).prefix().length;
                    return List.of(GraphKeys.mentionedEntity(hit.key(), prefix),
                            GraphKeys.mentionCount(hit.key(), prefix), namespaces.get(hit.source()));
                }));
    }

    /** An entity found in the first of {@code namespaces} that has it, with a page of its relations. */
    public record EntityView(Node node, List<String> docs, int docCount, Paging.Page relations) {
    }

    public Optional<EntityView> getEntity(List<String> namespaces, NodeKey entity, int limit, String cursor) {
        return store.read(txn -> {
            for (String ns : namespaces) {
                Optional<Node> node = graph.node(txn, ns, entity);
                if (node.isPresent()) {
                    return Optional.of(entityView(txn, node.get(), limit, cursor));
                }
            }
            return Optional.empty();
        });
    }

    private EntityView entityView(ReadTxn txn, Node node, int limit, String cursor) {
        String ns = node.namespace();
        Set<String> docs = new LinkedHashSet<>();
        for (Edge edge : graph.edgesFrom(txn, ns, node.key(), Integer.MAX_VALUE)) {
            addDocument(docs, edge.dst());
        }
        for (Edge edge : graph.edgesTo(txn, ns, node.key(), Integer.MAX_VALUE)) {
            addDocument(docs, edge.src());
        }
        List<Paging.Source> sources = List.of(
                new Paging.Source(GraphKeys.OUT, GraphKeys.prefix(ns, node.key().toString())),
                new Paging.Source(GraphKeys.IN, GraphKeys.prefix(ns, node.key().toString())));
        List<String> someDocs = docs.stream().limit(MAX_DOCS).toList();
        // the entity's own fields share the budget with its relations
        int ownChars = Paging.chars(node.observations()) + Paging.chars(node.tags()) + Paging.chars(someDocs)
                + ENTITY_FIELDS_CHARS;
        Paging.Page relations = Paging.page(txn, kind("get_entity", List.of(ns, node.key().toString())), sources,
                Paging.SOURCE_ORDER, cursor, limit, Math.max(0, settings.responseBudgetChars() - ownChars),
                hit -> triple(GraphModel.edge(ns, hit.key(), hit.source() == 0)));
        return new EntityView(node, someDocs, docs.size(), relations);
    }

    private static void addDocument(Set<String> docs, NodeKey key) {
        if (key.type() == NodeType.DOCUMENT) {
            docs.add(key.toString());
        }
    }

    /** {@code [src, dst, relation, namespace]}. */
    static List<String> triple(Edge edge) {
        return List.of(edge.src().toString(), edge.dst().toString(), edge.relation(), edge.namespace());
    }

    /**
     * Nodes whose type is {@code type} (null: any) and whose id contains {@code pattern} ignoring
     * case (null: any). A pattern ending in {@code *} is a prefix instead: a walk of exactly the
     * matching names. A substring pattern walks the namespace's name index of that type.
     */
    public Paging.Page searchNodes(List<String> namespaces, NodeType type, String pattern, int limit, String cursor) {
        boolean prefixMatch = pattern != null && pattern.endsWith("*");
        String needle = pattern == null ? "" : GraphKeys.lowerCase(prefixMatch
                ? pattern.substring(0, pattern.length() - 1) : pattern);
        List<NodeType> types = type == null ? List.of(NodeType.values()) : List.of(type);
        List<Paging.Source> sources = new ArrayList<>();
        List<String> sourceNamespaces = new ArrayList<>();
        for (String ns : namespaces) {
            for (NodeType each : types) {
                String typePrefix = GraphKeys.lowerCase(each.label()) + NodeKey.SEPARATOR;
                if (prefixMatch || needle.isEmpty()) {
                    byte[] prefix = GraphKeys.key(ns, typePrefix + needle);
                    sources.add(new Paging.Source(GraphKeys.LOWER, prefix));
                } else {
                    byte[] prefix = GraphKeys.key(ns, typePrefix);
                    int idStart = prefix.length;
                    sources.add(new Paging.Source(GraphKeys.LOWER, prefix,
                            key -> lowerId(key, idStart).contains(needle), GraphKeys::successor));
                }
                sourceNamespaces.add(ns);
            }
        }
        return store.read(txn -> Paging.page(txn, kind("search_nodes|" + types + "|" + pattern, namespaces),
                sources, Paging.SOURCE_ORDER, cursor, limit, settings.responseBudgetChars(), hit -> {
                    String ns = sourceNamespaces.get(hit.source());
                    NodeKey key = NodeKey.parse(GraphKeys.parts(hit.key()).get(2));
                    return graph.node(txn, ns, key).map(KgEngine::searchItem).orElse(null);
                }));
    }

    /** The lower-cased id of a {@link GraphKeys#LOWER} key, {@code idStart} being where the id begins. */
    private static String lowerId(byte[] key, int idStart) {
        int end = idStart;
        while (end < key.length && key[end] != 0) {
            end++;
        }
        return GraphKeys.text(key, idStart, end);
    }

    private static Map<String, Object> searchItem(Node node) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", node.key().type().label());
        item.put("label", node.key().id());
        item.put("nodeKey", node.key().toString());
        item.put("namespace", node.namespace());
        if (node.key().type() == NodeType.ENTITY) {
            item.put("mentionCount", node.mentionCount());
            putIfAny(item, node);
        }
        return item;
    }

    private static void putIfAny(Map<String, Object> item, Node node) {
        if (node.entityType() != null) {
            item.put("entityType", node.entityType());
        }
        if (!node.tags().isEmpty()) {
            item.put("tags", node.tags());
        }
        if (!node.observations().isEmpty()) {
            item.put("observationCount", (long) node.observations().size());
        }
    }

    /** One item of {@link #readGraph}: a node and the edges out of it. */
    public record GraphItem(Object node, List<List<String>> edges) {
    }

    /**
     * Nodes, namespace by namespace, entities first, then documents, memories and episodes, each
     * type in name order, each with the edges out of it: every edge appears once, on the page of
     * its source. {@code namesOnly} gives {@code [nodeKey, namespace]} instead of a node summary.
     */
    public Paging.Page readGraph(List<String> namespaces, int limit, String cursor, boolean namesOnly) {
        List<Paging.Source> sources = new ArrayList<>();
        List<String> sourceNamespaces = new ArrayList<>();
        for (String ns : namespaces) {
            for (NodeType type : NodeType.values()) {
                sources.add(new Paging.Source(GraphKeys.NODES, GraphKeys.key(ns, type.label() + NodeKey.SEPARATOR)));
                sourceNamespaces.add(ns);
            }
        }
        return store.read(txn -> Paging.page(txn, kind("read_graph", namespaces), sources, Paging.SOURCE_ORDER,
                cursor, limit, settings.responseBudgetChars(), hit -> {
                    String ns = sourceNamespaces.get(hit.source());
                    NodeKey key = NodeKey.parse(GraphKeys.parts(hit.key()).get(1));
                    List<List<String>> edges = graph.edgesFrom(txn, ns, key, Integer.MAX_VALUE).stream()
                            .map(KgEngine::triple).toList();
                    if (namesOnly) {
                        return new GraphItem(List.of(key.toString(), ns), edges);
                    }
                    Node node = NodeRecord.decode(hit.value()).toNode(ns, key);
                    Map<String, Object> summary = new LinkedHashMap<>();
                    summary.put("nodeKey", key.toString());
                    summary.put("namespace", ns);
                    if (key.type() == NodeType.ENTITY) {
                        summary.put("mentionCount", node.mentionCount());
                        putIfAny(summary, node);
                    }
                    return new GraphItem(summary, edges);
                }));
    }

    /**
     * With a tag: the entities carrying it, {@code [name, namespace]}. Without: every tag in use,
     * {@code [tag, namespace]}, one index seek per distinct tag.
     */
    public Paging.Page getTags(List<String> namespaces, String tag, int limit, String cursor) {
        List<Paging.Source> sources = new ArrayList<>();
        for (String ns : namespaces) {
            if (tag != null) {
                sources.add(new Paging.Source(GraphKeys.TAGS, GraphKeys.prefix(ns, GraphNames.tag(tag))));
            } else {
                sources.add(new Paging.Source(GraphKeys.TAGS, GraphKeys.prefix(ns), key -> true,
                        key -> GraphKeys.afterGroup(GraphKeys.prefix(GraphKeys.parts(key).subList(0, 2)
                                .toArray(String[]::new)))));
            }
        }
        int part = tag != null ? 2 : 1;
        return store.read(txn -> Paging.page(txn, kind(tag != null ? "get_tags|" + tag : "get_tags", namespaces),
                sources, Paging.SOURCE_ORDER, cursor, limit, settings.responseBudgetChars(),
                hit -> List.of(GraphKeys.parts(hit.key()).get(part), namespaces.get(hit.source()))));
    }

    /**
     * Nodes and edges in every namespace, or null while the store is not open (a status request
     * must not wait for storage). Two O(1) counts.
     */
    public Map<String, Object> counts() {
        if (store.status().state() != StoreStatus.State.OPEN) {
            return null;
        }
        try {
            return store.read(txn -> {
                Map<String, Object> counts = new LinkedHashMap<>();
                counts.put("nodes", txn.count(GraphKeys.NODES));
                counts.put("edges", txn.count(GraphKeys.OUT));
                return counts;
            });
        } catch (StoreException e) {
            return null; // closed between the check and the read
        }
    }

    private static String kind(String tool, List<String> namespaces) {
        return tool + "|" + String.join("|", namespaces);
    }
}
