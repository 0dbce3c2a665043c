package io.engram.kg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.kg.graph.KnowledgeGraph;
import io.engram.kg.graph.Node;
import io.engram.kg.graph.NodeKey;
import io.engram.storage.LmdbStore;
import io.engram.testing.TempStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link KnowledgeGraph#entitiesContaining} in a real LMDB store: exactly the entities whose name,
 * type or an observation contains the text ignoring case (checked against a plain walk through
 * creates, changes and deletes), in name order, paged, and an index that leaves nothing behind.
 */
class EntitySearchTest {

    private static final String NS = "proj";
    private static final String[] WORDS = {"build", "cache", "Deploy", "index", "kernel", "LMDB", "parser", "queue",
        "std::vector", "Node.js", "snake_case_name", "camelCaseName", "Überraschung", "naïve", "日本語"};

    @RegisterExtension
    final TempStore temp = new TempStore();

    private LmdbStore store;
    private final KnowledgeGraph graph = new GraphModel(Clock.systemUTC());

    @BeforeEach
    void openStore() {
        store = temp.store();
    }


    @Test
    void findsExactlyWhatAWalkFindsThroughCreatesChangesAndDeletes() {
        Random random = new Random(42);
        Map<String, Entity> expected = new TreeMap<>();
        for (int step = 0; step < 600; step++) {
            String name = "e" + random.nextInt(150) + pick(random, "", " Alpha", "-beta", "_Gamma");
            int action = random.nextInt(10);
            if (action < 6) {
                String type = random.nextInt(4) == 0 ? null : pick(random, "person", "Project", "library");
                List<String> added = List.of(sentence(random), sentence(random));
                List<String> removed = expected.containsKey(name) && !expected.get(name).observations.isEmpty() && random.nextBoolean()
                        ? List.of(expected.get(name).observations.get(0)) : List.of();
                store.write(txn -> graph.updateEntity(txn, NS, name, type, added, removed));
                Entity entity = expected.computeIfAbsent(name, n -> new Entity());
                entity.type = type != null ? type : entity.type;
                added.stream().filter(o -> !entity.observations.contains(o)).forEach(entity.observations::add);
                entity.observations.removeAll(removed);
            } else if (action < 8) {
                store.write(txn -> graph.deleteNode(txn, NS, NodeKey.entity(name)));
                expected.remove(name);
            } else {
                store.write(txn -> graph.ensureNode(txn, NS, NodeKey.entity(name)));
                expected.computeIfAbsent(name, n -> new Entity());
            }
        }
        List<String> queries = new ArrayList<>(List.of("", "e1", "E12", "alpha", "pha", "a-b", "-BETA", "gamma", "_g",
                "person", "ROJ", "lib", "build", "uild cac", "std::", "::vec", "node.js", "de.j", "snake_case", "e_na",
                "camelcase", "überr", "ÜBERRASCHUNG", "naïve", "本語", "nowhere", "zz", "e", "a", "-", " ", "123"));
        for (String word : WORDS) {
            queries.add(word.substring(1, Math.min(word.length(), 5)));
        }
        store.read(txn -> {
            for (String query : List.of("alpha", "uild cac", "überr", "e12")) {
                assertTrue(EntityWordIndex.candidates(txn, NS, query.toLowerCase(Locale.ROOT)).isPresent(),
                        "\"" + query + "\" is looked up in the index, not walked");
            }
            for (String query : queries) {
                List<String> walked = expected.entrySet().stream()
                        .filter(e -> e.getValue().contains(e.getKey(), query)).map(Map.Entry::getKey).toList();
                assertEquals(walked, names(graph.entitiesContaining(txn, NS, query, null, Integer.MAX_VALUE)),
                        "query \"" + query + "\"");
            }
            return null;
        });
    }

    @Test
    void pagesResumeAfterTheLastNameInNameOrder() {
        store.write(txn -> {
            for (int i = 0; i < 150; i++) {
                graph.updateEntity(txn, NS, String.format("svc-%03d", i), i % 3 == 0 ? "service" : "library",
                        List.of("runs on kernel " + i), List.of());
            }
            return null;
        });
        List<String> paged = new ArrayList<>();
        String after = null;
        while (true) {
            String from = after;
            List<Node> page = store.read(txn -> graph.entitiesContaining(txn, NS, "SERVICE", from, 7));
            paged.addAll(names(page));
            if (page.size() < 7) {
                break;
            }
            after = page.get(page.size() - 1).key().id();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 150; i += 3) {
            expected.add(String.format("svc-%03d", i));
        }
        assertEquals(expected, paged);
        assertEquals(List.of("svc-010", "svc-100", "svc-101", "svc-102"),
                names(store.read(txn -> graph.entitiesContaining(txn, NS, "kernel 10", null, 4))),
                "two runs: both must be in the text, in that order");
    }

    @Test
    void wordsLongerThanAnIndexKeyAreFoundByAnyPart() {
        StringBuilder blob = new StringBuilder();
        for (int i = 0; blob.length() < 700; i++) {
            blob.append(Long.toHexString(i * 0x9E3779B97F4A7C15L));
        }
        String observation = "digest " + blob + " end";
        store.write(txn -> graph.updateEntity(txn, NS, "artifact", "file", List.of(observation), List.of()));
        store.read(txn -> {
            for (int start = 0; start + 60 <= blob.length(); start += 37) {
                for (int length : new int[] {3, 24, 25, 49, 60}) {
                    String part = blob.substring(start, start + length).toUpperCase(Locale.ROOT);
                    assertEquals(List.of("artifact"), names(graph.entitiesContaining(txn, NS, part, null, 10)), part);
                }
            }
            assertEquals(List.of(), names(graph.entitiesContaining(txn, NS, blob + "x", null, 10)));
            return null;
        });
    }

    @Test
    void namespacesAreSeparateAndDeletingEverythingEmptiesTheIndex() {
        store.write(txn -> {
            graph.updateEntity(txn, NS, "Kafka", "service", List.of("queue for events"), List.of());
            graph.updateEntity(txn, "other", "Kafka", "author", List.of("wrote The Trial"), List.of());
            return null;
        });
        store.read(txn -> {
            assertEquals(List.of("Kafka"), names(graph.entitiesContaining(txn, NS, "queue", null, 10)));
            assertEquals(List.of(), names(graph.entitiesContaining(txn, NS, "trial", null, 10)));
            assertEquals(List.of("Kafka"), names(graph.entitiesContaining(txn, "other", "trial", null, 10)));
            return null;
        });
        store.write(txn -> graph.updateEntity(txn, NS, "Kafka", null, List.of(), List.of("queue for events")));
        assertEquals(List.of(), names(store.read(txn -> graph.entitiesContaining(txn, NS, "queue", null, 10))));
        store.write(txn -> {
            graph.deleteNode(txn, NS, NodeKey.entity("Kafka"));
            graph.deleteNode(txn, "other", NodeKey.entity("Kafka"));
            return null;
        });
        store.read(txn -> {
            for (String keyspace : List.of(GraphKeys.WORDS, GraphKeys.FRAGMENTS)) {
                List<String> left = new ArrayList<>();
                txn.scan(keyspace, null, (k, v) -> left.add(new String(k, java.nio.charset.StandardCharsets.UTF_8)));
                assertTrue(left.isEmpty(), keyspace + " still holds " + left);
            }
            return null;
        });
    }

    private static List<String> names(List<Node> nodes) {
        return nodes.stream().map(node -> node.key().id()).toList();
    }

    private static String sentence(Random random) {
        return pick(random, WORDS) + " " + pick(random, "with", "and", "on") + " " + pick(random, WORDS) + " #"
                + random.nextInt(40);
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    /** What the test expects an entity to hold. */
    private static final class Entity {
        String type;
        final List<String> observations = new ArrayList<>();

        boolean contains(String name, String query) {
            String needle = query.toLowerCase(Locale.ROOT);
            return name.toLowerCase(Locale.ROOT).contains(needle)
                    || type != null && type.toLowerCase(Locale.ROOT).contains(needle)
                    || observations.stream().anyMatch(o -> o.toLowerCase(Locale.ROOT).contains(needle));
        }
    }
}
