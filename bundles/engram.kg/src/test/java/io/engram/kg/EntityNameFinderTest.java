package io.engram.kg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.engram.kg.graph.KnowledgeGraph;
import io.engram.kg.graph.NodeKey;
import io.engram.kg.graph.NodeType;
import io.engram.storage.LmdbStore;
import io.engram.testing.TempStore;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Finding the known entity names in a text, in a real LMDB store, as a user expects them found. */
class EntityNameFinderTest {

    private static final String NS = "proj";

    @RegisterExtension
    final TempStore temp = new TempStore();

    private LmdbStore store;
    private final KnowledgeGraph graph = new GraphModel(Clock.systemUTC());

    @BeforeEach
    void openStore() {
        store = temp.store();
    }


    private void entities(String namespace, String... names) {
        store.write(txn -> {
            for (String name : names) {
                graph.ensureNode(txn, namespace, NodeKey.entity(name));
            }
            return null;
        });
    }

    private List<String> found(String text) {
        return store.read(txn -> graph.entitiesNamedIn(txn, NS, text)).stream().map(NodeKey::id).toList();
    }

    @Test
    void wholeWordsInAnyCaseInTheOrderTheyFirstOccur() {
        entities(NS, "Python", "Rust", "Go", "LMDB");
        assertEquals(List.of("Rust", "Python"), found("rust beats PYTHON; python is fine, Rust too"));
        assertEquals(List.of(), found("Rusty pythonic gophers"), "never inside a word");
        assertEquals(List.of("LMDB", "Go"), found("(LMDB)-backed, go!"), "punctuation bounds a word");
        assertEquals(List.of(), found("nothing known here"));
        assertEquals(List.of(), found(""));
    }

    @Test
    void multiWordNamesMatchAcrossLineBreaksAndTheLongestNameWins() {
        entities(NS, "machine learning", "learning", "New York", "York");
        assertEquals(List.of("machine learning"), found("Machine\n   Learning at scale"));
        assertEquals(List.of("New York", "learning", "York"), found("new york: learning in York"),
                "York is found where it stands alone");
        assertEquals(List.of("York"), found("York"));
        assertEquals(List.of(), found("machine learner"));
    }

    @Test
    void codeIdentifiersAreNamesToo() {
        entities(NS, "std::vector", "std", "vector", "snake_case", "Node.js", "C++", ".NET", "MemoryEngine");
        assertEquals(List.of("std::vector"), found("use std::vector<int> here"));
        assertEquals(List.of("vector", "std"), found("a vector, then std alone"));
        assertEquals(List.of("snake_case"), found("snake_case and my_snake_case_var"),
                "an identifier inside a longer one is not a mention");
        assertEquals(List.of("Node.js", "C++", ".NET"), found("node.js calls C++ from .net"));
        assertEquals(List.of("MemoryEngine"), found("MemoryEngine.add(x) but not MemoryEngineTest"));
    }

    @Test
    void namesDifferingOnlyInCaseAreBothFound() {
        entities(NS, "Go", "GO");
        assertEquals(List.of("GO", "Go"), found("go"));
    }

    @Test
    void onlyTheNamespaceAskedForAndOnlyEntities() {
        entities("other", "Kotlin");
        entities(NS, "Java");
        store.write(txn -> graph.ensureNode(txn, NS, new NodeKey(NodeType.DOCUMENT, "Kotlin")));
        assertEquals(List.of("Java"), found("Java and Kotlin"));
        assertEquals(List.of(NodeKey.entity("Kotlin")),
                store.read(txn -> graph.entitiesNamedIn(txn, "other", "kotlin")));
        assertEquals(List.of(), store.read(txn -> graph.entitiesNamedIn(txn, "prefix-of-nothing", "Java Kotlin")));
        store.write(txn -> graph.ensureNode(txn, "docs-only", new NodeKey(NodeType.DOCUMENT, "Java")));
        assertEquals(List.of(), store.read(txn -> graph.entitiesNamedIn(txn, "docs-only", "Java")));
    }

    @Test
    void manyNamesSharingTheTextsWordsAreWalkedNotMissed() {
        String[] names = new String[2_000];
        for (int i = 0; i < names.length; i++) {
            names[i] = "python " + i;
        }
        entities(NS, names);
        entities(NS, "Python", "python 1000 beta", "pythonista", "pyt");
        assertEquals(List.of("python 1000 beta", "python 42", "Python"),
                found("python 1000 beta, python 42, python 20000, python"));
        assertEquals(List.of(), found("pythonic pyth"));
    }

    @Test
    void aBadNamespaceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> store.read(txn -> graph.entitiesNamedIn(txn, " ", "x")));
    }
}
