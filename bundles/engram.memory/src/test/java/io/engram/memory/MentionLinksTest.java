package io.engram.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.api.store.WriteTxn;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.kg.GraphModel;
import io.engram.kg.graph.Edge;
import io.engram.kg.graph.KnowledgeGraph;
import io.engram.kg.graph.Node;
import io.engram.kg.graph.NodeKey;
import io.engram.kg.graph.NodeType;
import io.engram.storage.LmdbStore;
import io.engram.testing.TempStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Memories linked to the entities they mention, with the real graph model in a real LMDB store:
 * links made, replaced and removed in the memory's own transaction, mention counts exact.
 */
class MentionLinksTest {

    private static final long START = 1_750_000_000_000L;
    private static final String PROJ = "/home/ana/app";
    private static final String GLOBAL = "global";

    @RegisterExtension
    final TempStore temp = new TempStore();

    private LmdbStore store;
    private final MutableClock clock = new MutableClock(START);
    private final KnowledgeGraph graph = new GraphModel(clock);
    private MemoryEngine engine;

    @BeforeEach
    void openStore() {
        store = temp.store();
        engine = new MemoryEngine(store, clock, MemorySettings.DEFAULTS, new GraphMentionLinks(graph));
    }


    private void entities(String namespace, String... names) {
        store.write(txn -> {
            for (String name : names) {
                graph.ensureNode(txn, namespace, NodeKey.entity(name));
            }
            return null;
        });
    }

    /** The entity's mention count; -1 when there is no such entity. */
    private long mentions(String namespace, String entity) {
        return store.read(txn -> graph.node(txn, namespace, NodeKey.entity(entity)).map(Node::mentionCount).orElse(-1L));
    }

    private List<String> linkedFrom(String namespace, String memoryId) {
        return store.read(txn -> graph.edgesFrom(txn, namespace, new NodeKey(NodeType.MEMORY, memoryId), 100))
                .stream().map(edge -> edge.relation() + " " + edge.dst()).toList();
    }

    private boolean memoryNode(String namespace, String memoryId) {
        return store.read(txn -> graph.node(txn, namespace, new NodeKey(NodeType.MEMORY, memoryId)).isPresent());
    }

    private AddOutcome add(String content, String namespace, List<String> entities) {
        return engine.addLinked(new NewMemory(content, null, null, Layer.LTM, null, null, namespace, entities));
    }

    @Test
    void addLinksTheKnownEntitiesItNamesAndTheListedOnesCreatingMissingOnes() {
        entities(PROJ, "Python", "LMDB");
        AddOutcome added = add("I like python, not Pythonic code", PROJ, List.of("Rust", "python", "Rust"));
        String id = added.memory().id();
        assertEquals(List.of("Python", "Rust"), added.entities(), "Python once: named and listed");
        assertEquals(List.of("MENTIONS Entity::Python", "MENTIONS Entity::Rust"), linkedFrom(PROJ, id));
        assertEquals(1, mentions(PROJ, "Python"));
        assertEquals(1, mentions(PROJ, "Rust"), "created by the entities argument");
        assertEquals(0, mentions(PROJ, "LMDB"));

        AddOutcome plain = add("nothing known here", PROJ, null);
        assertEquals(List.of(), plain.entities());
        assertTrue(memoryNode(PROJ, plain.memory().id()), "every memory has its node");
    }

    @Test
    void countsStayExactThroughUpdatesAndDeletes() {
        entities(PROJ, "Python", "Rust", "Go");
        String first = add("Python and Rust", PROJ, List.of("LMDB")).memory().id();
        String second = add("Python again", PROJ, null).memory().id();
        assertEquals(2, mentions(PROJ, "Python"));

        UpdateOutcome updated = engine.update(first, new MemoryChanges("now Go and Rust", null, null)).orElseThrow();
        assertEquals(List.of("text"), updated.changed());
        assertEquals(1, mentions(PROJ, "Python"), "no longer mentioned by the first");
        assertEquals(1, mentions(PROJ, "Go"));
        assertEquals(1, mentions(PROJ, "Rust"));
        assertEquals(1, mentions(PROJ, "LMDB"), "a listed entity stays linked through a new content");

        engine.update(first, new MemoryChanges(null, Map.of("k", "v"), Layer.STM));
        assertEquals(List.of("MENTIONS Entity::Go", "MENTIONS Entity::LMDB", "MENTIONS Entity::Rust"),
                linkedFrom(PROJ, first), "changes without a new content keep the links");

        assertEquals(new DeleteOutcome(true, PROJ, false, 3), engine.delete(first, false), "three links went with it");
        assertEquals(List.of(0L, 0L, 0L, 1L), List.of(mentions(PROJ, "Go"), mentions(PROJ, "Rust"),
                mentions(PROJ, "LMDB"), mentions(PROJ, "Python")));
        assertFalse(memoryNode(PROJ, first));
        engine.delete(second, true);
        assertEquals(0, mentions(PROJ, "Python"));
    }

    @Test
    void globalEntitiesAreLinkedFromAGlobalMemoryNodeUnlessTheWorkspaceHasTheName() {
        entities(GLOBAL, "Java", "Kotlin");
        entities(PROJ, "kotlin");
        String id = add("Java calls Kotlin", PROJ, List.of("Gradle")).memory().id();
        assertEquals(List.of("MENTIONS Entity::Gradle", "MENTIONS Entity::kotlin"), linkedFrom(PROJ, id));
        assertEquals(List.of("MENTIONS Entity::Java"), linkedFrom(GLOBAL, id));
        assertEquals(1, mentions(GLOBAL, "Java"));
        assertEquals(0, mentions(GLOBAL, "Kotlin"), "the workspace's own kotlin is the one meant");

        engine.update(id, new MemoryChanges("only Kotlin now", null, null));
        assertEquals(0, mentions(GLOBAL, "Java"));
        assertFalse(memoryNode(GLOBAL, id), "no global node without global links");

        String shared = add("Java for everyone", GLOBAL, List.of("kotlin")).memory().id();
        assertEquals(List.of("MENTIONS Entity::Java", "MENTIONS Entity::Kotlin"), linkedFrom(GLOBAL, shared),
                "a global memory links global entities, a listed name in any case to the existing one");
        engine.delete(shared, false);

        engine.update(id, new MemoryChanges("Java again", null, null));
        engine.delete(id, false);
        assertEquals(0, mentions(GLOBAL, "Java"));
        assertFalse(memoryNode(GLOBAL, id));
        assertFalse(memoryNode(PROJ, id));
    }

    @Test
    void aFailingWriteLeavesNoMemoryNoEdgeAndNoCountChange() {
        entities(PROJ, "Python");
        MemoryEngine failing = new MemoryEngine(store, clock, MemorySettings.DEFAULTS, new GraphMentionLinks(graph) {
            @Override
            public List<String> link(WriteTxn txn, String memoryId, String namespace, String content,
                    List<String> named) {
                List<String> linked = super.link(txn, memoryId, namespace, content, named);
                throw new IllegalStateException("fails after linking " + linked);
            }
        });
        assertThrows(IllegalStateException.class,
                () -> failing.addLinked(new NewMemory("Python", null, null, Layer.LTM, null, null, PROJ, List.of("Rust"))));
        assertEquals(0, mentions(PROJ, "Python"));
        assertEquals(-1, mentions(PROJ, "Rust"), "the listed entity was not created");
        assertEquals(0L, (long) store.<Long>read(txn -> txn.count(MemoryEngine.RECORDS)));
        assertEquals(List.of(), store.read(txn -> graph.edgesTo(txn, PROJ, NodeKey.entity("Python"), 10)));

        String id = add("Python", PROJ, null).memory().id();
        assertThrows(IllegalStateException.class, () -> failing.update(id, new MemoryChanges("Rust", null, null)));
        assertEquals(1, mentions(PROJ, "Python"), "the failed update changed nothing");
        assertEquals("Python", engine.search(new SearchQuery(null, 10, null, null, null, null, null)).hits().get(0)
                .memory().content());
    }

    @Test
    void aBadEntityNameIsRefusedNamingItBeforeAnythingIsWritten() {
        InvalidArgumentException refused = assertThrows(InvalidArgumentException.class,
                () -> add("x", PROJ, List.of("ok", "x".repeat(200))));
        assertTrue(refused.getMessage().contains("entities[1]"), refused.getMessage());
        assertEquals(0L, (long) store.<Long>read(txn -> txn.count(MemoryEngine.RECORDS)));
    }

    @Test
    void anExpiredMemoryStopsCountingWhenPurgedOrMet() {
        entities(PROJ, "Python");
        String swept = engine.addLinked(new NewMemory("Python", null, null, Layer.STM, null, null, PROJ)).memory().id();
        String met = engine.addLinked(new NewMemory("python", null, null, Layer.STM, null, null, PROJ)).memory().id();
        add("Python for good", PROJ, null);
        assertEquals(3, mentions(PROJ, "Python"));
        clock.advance(MemorySettings.DEFAULTS.stmTtlMs());

        assertEquals(Optional.empty(), engine.update(met, new MemoryChanges("x", null, null)));
        assertEquals(2, mentions(PROJ, "Python"), "an update that meets an expired memory deletes it");
        assertFalse(memoryNode(PROJ, met));

        assertEquals(1, engine.purgeExpired());
        assertEquals(1, mentions(PROJ, "Python"));
        assertFalse(memoryNode(PROJ, swept));
        assertNull(store.read(txn -> txn.get(MemoryEngine.RECORDS, swept.getBytes(StandardCharsets.UTF_8))));
        assertEquals(0, engine.purgeExpired());
    }

    @Test
    void withoutTheGraphMemoriesAreStoredAndLinkNothing() {
        MemoryEngine unlinked = new MemoryEngine(store, clock, MemorySettings.DEFAULTS);
        AddOutcome added = unlinked.addLinked(new NewMemory("Python", null, null, Layer.LTM, null, null, PROJ,
                List.of("Rust")));
        assertNull(added.entities());
        assertEquals(List.of("Rust"), added.memory().entities(), "kept, for a content update once the graph runs");
        assertEquals(0L, (long) store.<Long>read(txn -> txn.count("kg.nodes")));
        List<Edge> none = new ArrayList<>();
        assertEquals(none, store.read(txn -> graph.edgesTo(txn, PROJ, NodeKey.entity("Rust"), 10)));
    }
}
