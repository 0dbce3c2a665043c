package io.engram.compat;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.engram.api.store.ReadTxn;
import io.engram.api.store.Store;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.kg.graph.Edge;
import io.engram.kg.graph.KnowledgeGraph;
import io.engram.kg.graph.Node;
import io.engram.kg.graph.NodeKey;
import io.engram.kg.graph.NodeType;
import io.engram.kg.graph.Relations;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The reference memory server's operations on Engram's knowledge graph: its entities are the
 * graph's entities that have an entity type, its relations the edges between entities. Every
 * operation is one transaction, so overlapping calls and several processes lose nothing.
 *
 * <p>An entity without a type (an endpoint a relation created, or one another tool family made)
 * is not an entity here, as a name that only appears in relations is not one in the reference;
 * its relations are still shown, as the reference shows relations to names it has no entity for.
 */
public class ReferenceGraph {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    /** Entities read from the store at a time while walking for a page. */
    private static final int WALK_BATCH = 64;

    /** An entity as the reference server gives it. */
    public record Entity(String name, String entityType, List<String> observations) {

        public Entity {
            observations = List.copyOf(observations);
        }

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("name", name);
            map.put("entityType", entityType);
            map.put("observations", observations);
            return map;
        }
    }

    /** A relation as the reference server gives it. */
    public record Relation(String from, String to, String relationType) {

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("from", from);
            map.put("to", to);
            map.put("relationType", relationType);
            return map;
        }
    }

    /** Observations of one entity, added or to delete. */
    public record Observations(String entityName, List<String> contents) {
    }

    /** Part of the graph; {@code nextCursor} is null when nothing remains. */
    public record GraphPage(List<Entity> entities, List<Relation> relations, String nextCursor, boolean truncated) {

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("entities", entities.stream().map(Entity::toMap).toList());
            map.put("relations", relations.stream().map(Relation::toMap).toList());
            if (nextCursor != null) {
                map.put("truncated", truncated);
                map.put("nextCursor", nextCursor);
            }
            return map;
        }
    }

    /** An add_observations for an entity that does not exist: the whole call changes nothing, as in the reference. */
    public static final class EntityNotFoundException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        EntityNotFoundException(String name) {
            super("Entity with name " + name + " not found"); // the reference's words
        }
    }

    private final Store store;
    private final KnowledgeGraph graph;
    private volatile CompatSettings settings;

    public ReferenceGraph(Store store, KnowledgeGraph graph, CompatSettings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.graph = Objects.requireNonNull(graph, "graph");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public CompatSettings settings() {
        return settings;
    }

    public void applySettings(CompatSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    // ---- writes: one transaction per call ----

    /** Creates the entities whose names are not taken yet; returns those created, as stored. */
    public List<Entity> createEntities(String ns, List<Entity> entities) {
        return store.write(txn -> {
            KnowledgeGraph kg = graph;
            List<Entity> created = new ArrayList<>();
            for (int i = 0; i < entities.size(); i++) {
                Entity entity = entities.get(i);
                NodeKey key = entityKey("entities[" + i + "].name", entity.name());
                if (visible(kg.node(txn, ns, key)).isPresent()) {
                    continue;
                }
                Node node = kg.updateEntity(txn, ns, key.id(), entity.entityType(), entity.observations(), List.of());
                created.add(entity(node));
            }
            return created;
        });
    }

    /** Creates the relations that do not exist yet; returns those created, as stored. */
    public List<Relation> createRelations(String ns, List<Relation> relations) {
        return store.write(txn -> {
            KnowledgeGraph kg = graph;
            List<Relation> created = new ArrayList<>();
            for (int i = 0; i < relations.size(); i++) {
                Edge edge = edge("relations[" + i + "]", ns, relations.get(i));
                if (kg.relate(txn, ns, edge.src(), edge.dst(), edge.relation())) {
                    created.add(relation(edge));
                }
            }
            return created;
        });
    }

    /**
     * Adds each entity's observations it does not have yet; returns them per entity.
     *
     * @throws EntityNotFoundException when one entity does not exist; nothing is changed then
     */
    public List<Observations> addObservations(String ns, List<Observations> additions) {
        return store.write(txn -> {
            KnowledgeGraph kg = graph;
            List<Observations> results = new ArrayList<>();
            for (Observations addition : additions) {
                Node node = existing(kg, txn, ns, addition.entityName())
                        .orElseThrow(() -> new EntityNotFoundException(addition.entityName()));
                Set<String> added = new LinkedHashSet<>(addition.contents());
                added.removeAll(node.observations());
                kg.updateEntity(txn, ns, node.key().id(), null, added, List.of());
                results.add(new Observations(addition.entityName(), List.copyOf(added)));
            }
            return results;
        });
    }

    /** Deletes the entities with every relation into or out of them; names that are not there are ignored. */
    public void deleteEntities(String ns, List<String> names) {
        store.write(txn -> {
            KnowledgeGraph kg = graph;
            for (String name : names) {
                optionalEntityKey(name).ifPresent(key -> kg.deleteNode(txn, ns, key));
            }
            return null;
        });
    }

    /** Removes the observations listed from each entity; entities that are not there are ignored. */
    public void deleteObservations(String ns, List<Observations> deletions) {
        store.write(txn -> {
            KnowledgeGraph kg = graph;
            for (Observations deletion : deletions) {
                Optional<Node> node = existing(kg, txn, ns, deletion.entityName());
                if (node.isPresent()) {
                    kg.updateEntity(txn, ns, node.get().key().id(), null, List.of(), deletion.contents());
                }
            }
            return null;
        });
    }

    /** Deletes the relations listed; ones that are not there are ignored. */
    public void deleteRelations(String ns, List<Relation> relations) {
        store.write(txn -> {
            KnowledgeGraph kg = graph;
            for (Relation relation : relations) {
                Optional<NodeKey> from = optionalEntityKey(relation.from());
                Optional<NodeKey> to = optionalEntityKey(relation.to());
                if (from.isPresent() && to.isPresent() && relation.relationType() != null
                        && !relation.relationType().isBlank()) {
                    kg.unrelate(txn, ns, from.get(), to.get(), relation.relationType());
                }
            }
            return null;
        });
    }

    /** What an import batch changed. */
    public record ImportCounts(int entitiesCreated, int observationsAdded, int relationsCreated) {
    }

    /**
     * Merges records of a memory file in one transaction: a missing entity is created, an existing
     * one keeps its type and gains the observations it lacks, a missing relation is created. So
     * importing the same file again changes nothing.
     *
     * @throws InvalidArgumentException for a name or relation type Engram cannot store; nothing of
     *         the batch is written then
     */
    public ImportCounts merge(String ns, List<Entity> entities, List<Relation> relations) {
        return store.write(txn -> {
            int created = 0;
            int observations = 0;
            for (Entity entity : entities) {
                NodeKey key = entityKey("name", entity.name());
                Optional<Node> existing = visible(graph.node(txn, ns, key));
                List<String> before = existing.map(Node::observations).orElse(List.of());
                Node after = graph.updateEntity(txn, ns, key.id(), existing.isPresent() ? null : entity.entityType(),
                        entity.observations(), List.of());
                created += existing.isPresent() ? 0 : 1;
                observations += after.observations().size() - before.size();
            }
            int related = 0;
            for (Relation relation : relations) {
                Edge edge = edge("relation", ns, relation);
                related += graph.relate(txn, ns, edge.src(), edge.dst(), edge.relation()) ? 1 : 0;
            }
            return new ImportCounts(created, observations, related);
        });
    }

    /**
     * Hands every entity, then every relation, of the namespace to {@code sink}, from one
     * consistent snapshot; returns the counts {@code [entities, relations]}.
     */
    public int[] export(String ns, java.util.function.Consumer<Object> sink) {
        return store.read(txn -> {
            int[] counts = new int[2];
            List<Relation> relations = new ArrayList<>();
            String after = null;
            for (List<Node> batch; !(batch = graph.entities(txn, ns, after, WALK_BATCH)).isEmpty(); ) {
                for (Node node : batch) {
                    if (visible(Optional.of(node)).isPresent()) {
                        sink.accept(entity(node));
                        counts[0]++;
                    }
                    for (Edge edge : graph.edgesFrom(txn, ns, node.key(), Integer.MAX_VALUE)) {
                        if (edge.dst().type() == NodeType.ENTITY) {
                            relations.add(relation(edge));
                        }
                    }
                    after = node.key().id();
                }
            }
            relations.forEach(sink);
            counts[1] = relations.size();
            return counts;
        });
    }

    // ---- reads: one transaction per call ----

    /**
     * A page of the whole graph: entities in name order, each with the relations out of it (so
     * every relation appears once, on the page of its source), at most {@code limit} entities and
     * about the response budget in characters.
     */
    public GraphPage readGraph(String ns, int limit, String cursor) {
        String kind = "read_graph\0" + ns;
        return store.read(txn -> walk(txn, ns, kind, cursor, limit,
                last -> graph.entities(txn, ns, last, WALK_BATCH), (kg, node) -> {
            Optional<Entity> entity = visible(Optional.of(node)).map(ReferenceGraph::entity);
            List<Relation> relations = new ArrayList<>();
            for (Edge edge : kg.edgesFrom(txn, ns, node.key(), Integer.MAX_VALUE)) {
                if (edge.dst().type() == NodeType.ENTITY) {
                    relations.add(relation(edge));
                }
            }
            return entity.isEmpty() && relations.isEmpty() ? null : new Unit(entity, relations);
        }));
    }

    /**
     * Entities whose name, type or an observation contains {@code query}, ignoring case, with the
     * relations that have at least one end among them (as the reference does), a page at a time.
     */
    public GraphPage searchNodes(String ns, String query, int limit, String cursor) {
        String kind = "search_nodes\0" + ns + "\0" + query;
        return store.read(txn -> walk(txn, ns, kind, cursor, limit,
                last -> graph.entitiesContaining(txn, ns, query, last, WALK_BATCH), (kg, node) -> {
            Optional<Entity> entity = visible(Optional.of(node)).map(ReferenceGraph::entity);
            return entity.map(found -> new Unit(entity, relationsOf(kg, txn, ns, node.key()))).orElse(null);
        }));
    }

    /** The entities named (those that exist), with the relations that have at least one end among them. */
    public GraphPage openNodes(String ns, List<String> names) {
        return store.read(txn -> {
            KnowledgeGraph kg = graph;
            List<Entity> entities = new ArrayList<>();
            Set<Relation> relations = new LinkedHashSet<>();
            for (String name : new LinkedHashSet<>(names)) {
                Optional<Node> node = existing(kg, txn, ns, name);
                if (node.isPresent()) {
                    entities.add(entity(node.get()));
                    relations.addAll(relationsOf(kg, txn, ns, node.get().key()));
                }
            }
            return new GraphPage(entities, List.copyOf(relations), null, false);
        });
    }

    /** What one entity node gives a page: the entity when it is one, and relations. */
    private record Unit(Optional<Entity> entity, List<Relation> relations) {
    }

    /**
     * Walks entities in name order from the cursor, {@code batches} giving those after a name
     * ({@link #WALK_BATCH} at a time, fewer at the end), taking what {@code unit} makes of each
     * (null: nothing), until {@code limit} units or the budget; the first unit is always taken, so
     * paging always moves on. Relations are kept once per page.
     */
    private GraphPage walk(ReadTxn txn, String ns, String kind, String cursor, int limit,
            Function<String, List<Node>> batches, BiFunction<KnowledgeGraph, Node, Unit> unit) {
        KnowledgeGraph kg = graph;
        String after = Cursors.decode(kind, cursor);
        List<Entity> entities = new ArrayList<>();
        Set<Relation> relations = new LinkedHashSet<>();
        int taken = 0;
        int used = 0;
        String last = after;
        while (true) {
            List<Node> batch = batches.apply(last);
            for (Node node : batch) {
                Unit found = unit.apply(kg, node);
                if (found == null) {
                    last = node.key().id();
                    continue;
                }
                int size = found.entity().map(GSON::toJson).map(String::length).orElse(0);
                for (Relation relation : found.relations()) {
                    size += relations.contains(relation) ? 0 : GSON.toJson(relation).length();
                }
                boolean overBudget = taken > 0 && used + size > settings.responseBudgetChars();
                if (taken == limit || overBudget) {
                    return new GraphPage(entities, List.copyOf(relations), Cursors.encode(kind, after), overBudget);
                }
                found.entity().ifPresent(entities::add);
                relations.addAll(found.relations());
                used += size;
                taken++;
                last = node.key().id();
                after = last;
            }
            if (batch.size() < WALK_BATCH) {
                return new GraphPage(entities, List.copyOf(relations), null, false);
            }
        }
    }

    /** The relations into and out of {@code key} whose other end is an entity. */
    private static List<Relation> relationsOf(KnowledgeGraph kg, ReadTxn txn, String ns, NodeKey key) {
        List<Relation> relations = new ArrayList<>();
        for (Edge edge : kg.edgesFrom(txn, ns, key, Integer.MAX_VALUE)) {
            if (edge.dst().type() == NodeType.ENTITY) {
                relations.add(relation(edge));
            }
        }
        for (Edge edge : kg.edgesTo(txn, ns, key, Integer.MAX_VALUE)) {
            if (edge.src().type() == NodeType.ENTITY) {
                relations.add(relation(edge));
            }
        }
        return relations;
    }

    /** The entity named, when it exists here (has a type). */
    private static Optional<Node> existing(KnowledgeGraph kg, ReadTxn txn, String ns, String name) {
        return visible(optionalEntityKey(name).flatMap(key -> kg.node(txn, ns, key)));
    }

    private static Optional<Node> visible(Optional<Node> node) {
        return node.filter(found -> found.entityType() != null);
    }

    private static Entity entity(Node node) {
        return new Entity(node.key().id(), node.entityType(), node.observations());
    }

    private static Relation relation(Edge edge) {
        return new Relation(edge.src().id(), edge.dst().id(), edge.relation());
    }

    /** A relation checked, as the edge it is stored as. */
    private static Edge edge(String field, String ns, Relation relation) {
        NodeKey from = entityKey(field + ".from", relation.from());
        NodeKey to = entityKey(field + ".to", relation.to());
        String type = relation.relationType();
        if (type == null || type.isBlank()) {
            throw new InvalidArgumentException(field + ".relationType", "must not be empty; use a verb in active"
                    + " voice, e.g. \"works_at\"");
        }
        return new Edge(ns, from, to, checked(field + ".relationType", () -> Relations.normalize(type)));
    }

    private static NodeKey entityKey(String field, String name) {
        return checked(field, () -> NodeKey.entity(name));
    }

    /** The key of a name that can exist; empty for one that cannot (nothing can be found or deleted by it). */
    private static Optional<NodeKey> optionalEntityKey(String name) {
        try {
            return Optional.of(NodeKey.entity(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static <T> T checked(String field, Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException(field, e.getMessage());
        }
    }

    /** Cursors: the last entity name a page took, tied to the tool, namespace and query that made it. */
    static final class Cursors {

        private Cursors() {
        }

        static String encode(String kind, String lastName) {
            String text = kind + "\0" + (lastName == null ? "" : lastName);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        /** The last name of the previous page, or null to start at the first entity. */
        static String decode(String kind, String cursor) {
            if (cursor == null) {
                return null;
            }
            String text;
            try {
                text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                text = "";
            }
            if (!text.startsWith(kind + "\0")) {
                throw new InvalidArgumentException("cursor", "is not a nextCursor this tool returned for these"
                        + " arguments (tool, namespace and query must be the same); leave it out to start over");
            }
            String last = text.substring(kind.length() + 1);
            return last.isEmpty() ? null : last;
        }
    }
}
