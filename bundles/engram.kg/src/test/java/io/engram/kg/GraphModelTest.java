package io.engram.kg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.api.store.ReadTxn;
import io.engram.kg.graph.Edge;
import io.engram.kg.graph.KnowledgeGraph;
import io.engram.kg.graph.Node;
import io.engram.kg.graph.NodeDeletion;
import io.engram.kg.graph.NodeKey;
import io.engram.kg.graph.NodeType;
import io.engram.kg.graph.Relations;
import io.engram.storage.LmdbStore;
import io.engram.testing.TempStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The graph model in a real LMDB store: indexes in step, mention counts exact (also under concurrent
 * writers), changes all or nothing.
 */
class GraphModelTest {

    private static final String NS = "proj";
    private static final NodeKey PYTHON = NodeKey.entity("Python");
    private static final NodeKey LMDB = NodeKey.entity("LMDB");
    private static final NodeKey MEM1 = new NodeKey(NodeType.MEMORY, "mem_1");
    private static final NodeKey MEM2 = new NodeKey(NodeType.MEMORY, "mem_2");

    @RegisterExtension
    final TempStore temp = new TempStore();

    private LmdbStore store;
    private final KnowledgeGraph graph = new GraphModel(Clock.systemUTC());

    @BeforeEach
    void openStore() {
        store = temp.store();
    }


    private long mentions(NodeKey entity) {
        return store.read(txn -> graph.node(txn, NS, entity).orElseThrow().mentionCount());
    }

    /** Every key of every kg keyspace, readable, for comparing whole states. */
    private Map<String, List<String>> everything() {
        return store.read(txn -> {
            Map<String, List<String>> all = new TreeMap<>();
            for (String keyspace : List.of(GraphKeys.NODES, GraphKeys.OUT, GraphKeys.IN, GraphKeys.TAGS,
                    GraphKeys.MENTIONS, GraphKeys.LOWER, GraphKeys.WORDS, GraphKeys.FRAGMENTS)) {
                List<String> keys = new ArrayList<>();
                txn.scan(keyspace, null, (k, v) -> keys.add(new String(k, StandardCharsets.ISO_8859_1)));
                all.put(keyspace, keys);
            }
            return all;
        });
    }

    /** The mention index says for each entity what its record says. */
    private void assertMentionIndexAgrees(ReadTxn txn) {
        byte[] prefix = GraphKeys.prefix(NS);
        txn.scanPrefix(GraphKeys.MENTIONS, prefix, (k, v) -> {
            NodeKey entity = NodeKey.entity(GraphKeys.mentionedEntity(k, prefix.length));
            assertEquals(graph.node(txn, NS, entity).orElseThrow().mentionCount(),
                    GraphKeys.mentionCount(k, prefix.length), entity.toString());
            return true;
        });
    }

    @Test
    void relatingCreatesBothNodesAndIndexesTheEdgeBothWays() {
        assertTrue(store.<Boolean>write(txn -> graph.relate(txn, NS, PYTHON, LMDB, null)));
        assertFalse(store.<Boolean>write(txn -> graph.relate(txn, NS, PYTHON, LMDB, "related")), "same edge, any case");
        store.read(txn -> {
            assertTrue(graph.node(txn, NS, PYTHON).isPresent());
            assertTrue(graph.node(txn, NS, LMDB).isPresent());
            assertEquals(List.of(new Edge(NS, PYTHON, LMDB, Relations.RELATED)), graph.edgesFrom(txn, NS, PYTHON, 10));
            assertEquals(List.of(new Edge(NS, PYTHON, LMDB, Relations.RELATED)), graph.edgesTo(txn, NS, LMDB, 10));
            assertEquals(List.of(), graph.edgesFrom(txn, NS, LMDB, 10));
            return null;
        });
    }

    @Test
    void mentionCountsStayExactThroughRelateUnrelateAndCascadingDeletes() {
        store.write(txn -> {
            graph.relate(txn, NS, MEM1, PYTHON, Relations.MENTIONS);
            graph.relate(txn, NS, MEM2, PYTHON, "mentions");
            graph.relate(txn, NS, MEM1, LMDB, Relations.MENTIONS);
            graph.relate(txn, NS, MEM1, PYTHON, Relations.EVIDENCE); // not a mention
            return graph.relate(txn, NS, MEM1, PYTHON, Relations.MENTIONS); // a repeat counts once
        });
        assertEquals(2, mentions(PYTHON));
        assertEquals(1, mentions(LMDB));

        assertTrue(store.<Boolean>write(txn -> graph.unrelate(txn, NS, MEM2, PYTHON, Relations.MENTIONS)));
        assertFalse(store.<Boolean>write(txn -> graph.unrelate(txn, NS, MEM2, PYTHON, Relations.MENTIONS)));
        assertEquals(1, mentions(PYTHON));

        NodeDeletion deletion = store.write(txn -> graph.deleteNode(txn, NS, MEM1));
        assertEquals(new NodeDeletion(true, 3, 0), deletion);
        assertEquals(0, mentions(PYTHON), "the deleted memory's mentions are gone");
        assertEquals(0, mentions(LMDB));
        store.read(txn -> {
            assertMentionIndexAgrees(txn);
            assertEquals(List.of(), graph.edgesTo(txn, NS, PYTHON, 10));
            return null;
        });
    }

    @Test
    void deletingAnEntityRemovesItsEdgesTagsAndIndexEntries() {
        Map<String, List<String>> before = everything();
        store.write(txn -> {
            graph.relate(txn, NS, PYTHON, LMDB, null);
            graph.relate(txn, NS, LMDB, PYTHON, "depends_on");
            graph.relate(txn, NS, PYTHON, PYTHON, null); // a loop is one edge
            graph.relate(txn, NS, MEM1, PYTHON, Relations.MENTIONS);
            return graph.tag(txn, NS, "Python", List.of("lang", "dynamic"));
        });
        NodeDeletion deletion = store.write(txn -> graph.deleteNode(txn, NS, PYTHON));
        assertEquals(new NodeDeletion(true, 4, 2), deletion);
        store.write(txn -> graph.deleteNode(txn, NS, LMDB));
        store.write(txn -> graph.deleteNode(txn, NS, MEM1));
        assertEquals(before, everything(), "nothing of the three nodes is left in any index");
        assertEquals(new NodeDeletion(false, 0, 0), store.write(txn -> graph.deleteNode(txn, NS, PYTHON)));
    }

    @Test
    void aWriteThatFailsMidwayLeavesNothing() {
        store.write(txn -> graph.relate(txn, NS, MEM1, LMDB, Relations.MENTIONS));
        Map<String, List<String>> before = everything();
        RuntimeException failure = assertThrows(RuntimeException.class, () -> store.write(txn -> {
            graph.relate(txn, NS, MEM2, LMDB, Relations.MENTIONS);
            graph.relate(txn, NS, MEM2, PYTHON, Relations.MENTIONS);
            graph.tag(txn, NS, "Python", List.of("lang"));
            graph.deleteNode(txn, NS, MEM1);
            throw new IllegalStateException("the caller's own write failed");
        }));
        assertEquals("the caller's own write failed", failure.getMessage());
        assertEquals(before, everything());
        assertEquals(1, mentions(LMDB));
    }

    @Test
    void badNamesAreRefusedBeforeAnythingIsWritten() {
        Map<String, List<String>> before = everything();
        assertThrows(IllegalArgumentException.class, () -> store.write(txn -> graph.relate(txn, NS, PYTHON,
                NodeKey.parse("Thing::x"), null)));
        assertThrows(IllegalArgumentException.class, () -> store.write(txn -> graph.relate(txn, "a\u0000b", PYTHON,
                LMDB, null)));
        assertThrows(IllegalArgumentException.class, () -> store.write(txn -> graph.relate(txn, NS, PYTHON, LMDB,
                "x".repeat(65))));
        assertThrows(IllegalArgumentException.class, () -> NodeKey.entity("n".repeat(200)));
        assertThrows(IllegalArgumentException.class, () -> store.write(txn -> graph.tag(txn, NS, "Python",
                List.of("ok", " "))));
        assertEquals(before, everything());
    }

    @Test
    void nodeKeysParseTypesAndKeepDoubleColonsInNames() {
        assertEquals(new NodeKey(NodeType.DOCUMENT, "doc-7"), NodeKey.parse("document::doc-7"));
        assertEquals(NodeKey.entity("Python"), NodeKey.parse("Python"));
        assertEquals("Entity::std::vector", NodeKey.entity("std::vector").toString());
        assertEquals(NodeKey.entity("std::vector"), NodeKey.parse("Entity::std::vector"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> NodeKey.parse("std::vector"));
        assertTrue(bad.getMessage().contains("Entity::std::vector"), bad.getMessage());
    }

    @Test
    void entitiesHoldTheReferenceServersTypeAndObservations() {
        Node node = store.write(txn -> graph.updateEntity(txn, NS, "Alice", "person",
                List.of("works on Engram", "likes LMDB", "works on Engram"), List.of()));
        assertEquals("person", node.entityType());
        assertEquals(List.of("works on Engram", "likes LMDB"), node.observations());
        node = store.write(txn -> graph.updateEntity(txn, NS, "Alice", null, List.of("uses Java"),
                List.of("likes LMDB")));
        assertEquals("person", node.entityType());
        assertEquals(List.of("works on Engram", "uses Java"), node.observations());
        assertEquals(node, store.read(txn -> graph.node(txn, NS, NodeKey.entity("Alice")).orElseThrow()));
    }

    @Test
    void longNamespacesFitTheKeysAndStaySeparate() {
        String base = "/home/someone/projects/" + "a-rather-deeply-nested-folder/".repeat(6);
        String first = base + "first";
        String second = base + "second";
        NodeKey longName = NodeKey.entity("n".repeat(140));
        store.write(txn -> graph.relate(txn, first, longName, new NodeKey(NodeType.DOCUMENT, "d".repeat(140)),
                "r".repeat(64)));
        store.read(txn -> {
            assertEquals(first, graph.node(txn, first, longName).orElseThrow().namespace());
            assertTrue(graph.node(txn, second, longName).isEmpty());
            assertEquals(1, graph.edgesFrom(txn, first, longName, 10).size());
            return null;
        });
    }

    @Test
    void writesFromManyThreadsKeepTheMentionCountExact() throws Exception {
        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        NodeKey memory = new NodeKey(NodeType.MEMORY, "m" + thread + "_" + i);
                        store.write(txn -> graph.relate(txn, NS, memory, PYTHON, Relations.MENTIONS));
                        if (i % 4 == 0) {
                            store.write(txn -> graph.deleteNode(txn, NS, memory));
                        }
                    }
                }));
            }
            for (Future<?> each : done) {
                each.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(threads * (perThread - perThread / 4), mentions(PYTHON));
        store.read(txn -> {
            assertMentionIndexAgrees(txn);
            return null;
        });
    }

    @Test
    void namespacesAreSeparate() {
        store.write(txn -> graph.relate(txn, "a", MEM1, PYTHON, Relations.MENTIONS));
        store.read(txn -> {
            assertTrue(graph.node(txn, "b", PYTHON).isEmpty());
            assertEquals(List.of(), graph.edgesTo(txn, "b", PYTHON, 10));
            assertEquals(1, graph.node(txn, "a", PYTHON).orElseThrow().mentionCount());
            return null;
        });
        // a namespace that is a prefix of another stays separate too
        store.write(txn -> graph.ensureNode(txn, "ab", LMDB));
        assertTrue(store.read(txn -> graph.node(txn, "a", LMDB)).isEmpty());
    }

    @Test
    void entitiesWalksEveryEntityOfItsNamespaceInNameOrderAPageAtATimeWithWholeRecords() {
        store.write(txn -> {
            graph.updateEntity(txn, NS, "b", "person", List.of("likes tea"), List.of());
            graph.ensureNode(txn, NS, NodeKey.entity("a"));
            graph.updateEntity(txn, NS, "c", "place", List.of(), List.of());
            graph.ensureNode(txn, NS, MEM1); // not an entity
            graph.ensureNode(txn, "other", NodeKey.entity("aa")); // another namespace
            graph.tag(txn, NS, "c", List.of("t"));
            return null;
        });
        List<String> walked = new ArrayList<>();
        for (List<Node> page; !(page = store.read(txn -> graph.entities(txn, NS, walkedLast(walked), 2))).isEmpty(); ) {
            assertTrue(page.size() <= 2);
            page.forEach(node -> walked.add(node.key().id()));
        }
        assertEquals(List.of("a", "b", "c"), walked);
        Node b = store.read(txn -> graph.entities(txn, NS, "a", 1)).get(0);
        assertEquals(NS, b.namespace());
        assertEquals("person", b.entityType());
        assertEquals(List.of("likes tea"), b.observations());
        assertEquals(List.of("t"), store.read(txn -> graph.entities(txn, NS, "b", 5)).get(0).tags());
        assertEquals(List.of(), store.read(txn -> graph.entities(txn, NS, "c", 5)));
        assertEquals(List.of(), store.read(txn -> graph.entities(txn, NS, null, 0)));
        assertEquals(List.of("aa"), store.read(txn -> graph.entities(txn, "other", null, 5)).stream()
                .map(node -> node.key().id()).toList());
    }

    private static String walkedLast(List<String> walked) {
        return walked.isEmpty() ? null : walked.get(walked.size() - 1);
    }
}
