package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.ToNumberPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two IDE windows on two projects, one data folder, the reference-compatible family switched on:
 * two hosts (two JVMs) send overlapping create_entities, add_observations and create_relations
 * calls at the same time, many in flight, into their workspaces and into {@code global}. Each
 * host's reference tools then show exactly its own workspace's graph (they work on one namespace
 * and do not add global), what was written with {@code "namespace": "global"} is seen by both
 * through the kg and memory tools (which add global) and by naming it, and every acknowledged
 * entity, observation and relation is stored.
 */
class CompatTwoHostsEndToEndTest {

    private static final String PROJECT_A = "/work/project-a";
    private static final String PROJECT_B = "/work/project-b";
    /** create_entities calls per host into its workspace; each call's entities get two add_observations calls. */
    private static final int CALLS = 16;
    private static final int ENTITIES_PER_CALL = 10;
    /** add_observations calls per host on the one global entity both hosts write to. */
    private static final int SHARED_NOTES = 8;
    private static final String SHARED = "Shared";

    // integers as Long, as the tools' answers are compared with Map.of(...) of Longs
    private static final Gson GSON = new GsonBuilder().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
            .create();

    @TempDir
    Path data;

    /** One host (one JVM) and the workspace it was started in. */
    private record Host(String label, String workspace, McpProcess engram) {
    }

    /** A tool call sent without waiting, to be checked once all are sent. */
    private record Sent(Host host, String tool, Map<String, ?> arguments, CompletableFuture<JsonObject> answer) {

        /** The structured content of the successful answer. */
        Map<String, Object> content() throws Exception {
            JsonObject response = answer.get(60, TimeUnit.SECONDS);
            assertFalse(response.has("error"), () -> tool + " " + arguments + ": " + response);
            JsonObject result = response.getAsJsonObject("result");
            assertFalse(result.has("isError") && result.get("isError").getAsBoolean(),
                    () -> host.label + " " + tool + " " + arguments + ": " + response + "\n" + host.engram.stderr());
            return map(result.getAsJsonObject("structuredContent"));
        }
    }

    /** What the acknowledgements say one namespace holds: entity -> observations, and relations. */
    private static final class Acknowledged {
        final Map<String, Set<String>> observations = new TreeMap<>();
        final Set<List<String>> relations = new HashSet<>();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonElement json) {
        return GSON.fromJson(json, Map.class);
    }

    private static Sent send(Host host, String tool, Map<String, ?> arguments) throws Exception {
        return new Sent(host, tool, arguments, host.engram.requestAsync("tools/call",
                Map.of("name", tool, "arguments", arguments)));
    }

    private static String entityName(int call, int item) {
        return "e" + call + "-" + item;
    }

    /** Lays out the data folder (its own config copy) with a first start, then switches the family on. */
    private void enableCompat() throws Exception {
        try (McpProcess first = McpProcess.start(data)) {
            first.initialize("2025-11-25");
        }
        CompatEndToEndTest.enableCompat(data);
    }

    private static void assertCompatListed(Host host) throws Exception {
        Set<String> listed = new HashSet<>();
        host.engram.result("tools/list", Map.of()).getAsJsonArray("tools")
                .forEach(tool -> listed.add(tool.getAsJsonObject().get("name").getAsString()));
        assertTrue(listed.containsAll(CompatEndToEndTest.COMPAT_TOOLS), "compat on: " + listed);
    }

    @Test
    void twoWorkspacesWritingAtOnceEachSeeTheirOwnGraphAndBothSeeGlobalWithNothingLost() throws Exception {
        enableCompat();
        try (McpProcess a = McpProcess.start(data, Map.of("ENGRAM_NAMESPACE", PROJECT_A));
                McpProcess b = McpProcess.start(data, Map.of("ENGRAM_NAMESPACE", PROJECT_B))) {
            List<Host> hosts = List.of(new Host("a", PROJECT_A, a), new Host("b", PROJECT_B, b));
            for (Host host : hosts) {
                host.engram.initialize("2025-11-25");
                assertCompatListed(host);
            }
            Map<String, Acknowledged> stored = new HashMap<>();
            for (String ns : List.of(PROJECT_A, PROJECT_B, "global")) {
                stored.put(ns, new Acknowledged());
            }

            // 1. Entities, both hosts at once: the same names in both workspaces, and one global entity
            //    both create at the same moment.
            List<Sent> sent = new ArrayList<>();
            for (int c = 0; c < CALLS; c++) {
                for (Host host : hosts) {
                    List<Map<String, Object>> entities = new ArrayList<>();
                    for (int i = 0; i < ENTITIES_PER_CALL; i++) {
                        entities.add(Map.of("name", entityName(c, i), "entityType", "component",
                                "observations", List.of("made by host " + host.label)));
                    }
                    sent.add(send(host, "create_entities", Map.of("entities", entities)));
                }
            }
            for (Host host : hosts) {
                sent.add(send(host, "create_entities", Map.of("namespace", "global", "entities", List.of(
                        Map.of("name", SHARED, "entityType", "convention",
                                "observations", List.of("first written by host " + host.label)),
                        Map.of("name", "from-" + host.label, "entityType", "convention",
                                "observations", List.of("global entity of host " + host.label))))));
            }
            for (Sent call : sent) {
                Acknowledged into = stored.get(call.arguments.containsKey("namespace") ? "global" : call.host.workspace);
                for (Object each : (List<?>) call.content().get("entities")) {
                    Map<?, ?> entity = (Map<?, ?>) each;
                    Set<String> previous = into.observations.put((String) entity.get("name"),
                            new TreeSet<>(strings(entity.get("observations"))));
                    assertEquals(null, previous, "acknowledged as created twice: " + entity);
                }
            }
            assertEquals(CALLS * ENTITIES_PER_CALL, stored.get(PROJECT_A).observations.size());
            assertEquals(CALLS * ENTITIES_PER_CALL, stored.get(PROJECT_B).observations.size());
            assertEquals(Set.of(SHARED, "from-a", "from-b"), stored.get("global").observations.keySet(),
                    "of two calls creating Shared at once, one created it and the other skipped it");

            // 2. Both hosts at once again: two add_observations calls on each entity of a workspace,
            //    relations between entities other calls are changing, notes on the one global entity
            //    from both processes, and memories that mention it.
            sent.clear();
            for (int c = 0; c < CALLS; c++) {
                for (Host host : hosts) {
                    for (String note : List.of("first", "second")) {
                        List<Map<String, Object>> observations = new ArrayList<>();
                        for (int i = 0; i < ENTITIES_PER_CALL; i++) {
                            observations.add(Map.of("entityName", entityName(c, i),
                                    "contents", List.of(note + " note of host " + host.label)));
                        }
                        sent.add(send(host, "add_observations", Map.of("observations", observations)));
                    }
                    List<Map<String, Object>> relations = new ArrayList<>();
                    for (int i = 0; i < ENTITIES_PER_CALL; i++) {
                        relations.add(Map.of("from", entityName(c, i), "to", entityName((c + 1) % CALLS, i),
                                "relationType", "depends_on"));
                    }
                    sent.add(send(host, "create_relations", Map.of("relations", relations)));
                }
            }
            for (int n = 0; n < SHARED_NOTES; n++) {
                for (Host host : hosts) {
                    sent.add(send(host, "add_observations", Map.of("namespace", "global", "observations", List.of(
                            Map.of("entityName", SHARED, "contents", List.of("note " + n + " of host " + host.label))))));
                }
            }
            for (Host host : hosts) {
                sent.add(send(host, "create_relations", Map.of("namespace", "global", "relations", List.of(
                        Map.of("from", "from-" + host.label, "to", SHARED, "relationType", "follows")))));
                sent.add(send(host, "memory_add", Map.of("namespace", "global", "layer_hint", "LTM",
                        "content", "Convention from host " + host.label + ": read " + SHARED + " first")));
                sent.add(send(host, "memory_add", Map.of("layer_hint", "LTM",
                        "content", "Workspace note of host " + host.label + " about " + SHARED)));
            }
            List<Map<String, Object>> memories = new ArrayList<>();
            for (Sent call : sent) {
                Acknowledged into = stored.get(call.arguments.containsKey("namespace") ? "global" : call.host.workspace);
                Map<String, Object> content = call.content();
                switch (call.tool) {
                    case "add_observations" -> {
                        for (Object each : (List<?>) content.get("results")) {
                            Map<?, ?> result = (Map<?, ?>) each;
                            into.observations.get((String) result.get("entityName"))
                                    .addAll(strings(result.get("addedObservations")));
                        }
                    }
                    case "create_relations" -> {
                        List<?> created = (List<?>) content.get("relations");
                        assertEquals(((List<?>) call.arguments.get("relations")).size(), created.size(),
                                "every relation is new");
                        for (Object each : created) {
                            Map<?, ?> relation = (Map<?, ?>) each;
                            into.relations.add(List.of((String) relation.get("from"), (String) relation.get("to"),
                                    (String) relation.get("relationType")));
                        }
                    }
                    default -> {
                        content.put("host", call.host.label);
                        memories.add(content);
                    }
                }
            }

            // 3. Isolation: each host's reference tools show exactly its workspace's graph, as acknowledged.
            for (Host host : hosts) {
                Host other = host == hosts.get(0) ? hosts.get(1) : hosts.get(0);
                Acknowledged own = stored.get(host.workspace);
                Graph graph = Graph.read(host, "read_graph", Map.of());
                assertEquals(own.observations, graph.observations, "host " + host.label + "'s read_graph");
                assertEquals(own.relations, graph.relations, "host " + host.label + "'s relations");
                for (Set<String> observations : graph.observations.values()) {
                    assertEquals(Set.of("made by host " + host.label, "first note of host " + host.label,
                            "second note of host " + host.label), observations);
                }
                assertEquals(Set.of("component"), graph.types);
                assertEquals(CALLS * ENTITIES_PER_CALL, graph.relations.size());

                Graph matches = Graph.read(host, "search_nodes", Map.of("query", "HOST " + host.label));
                assertEquals(own.observations.keySet(), matches.observations.keySet(), "search_nodes ignores case");
                assertEquals(Map.of(), Graph.read(host, "search_nodes", Map.of("query", "host " + other.label))
                        .observations, "never the other workspace's entities");
                assertEquals(Map.of(), Graph.read(host, "search_nodes", Map.of("query", SHARED)).observations,
                        "the reference tools do not add global");
                assertEquals(stored.get(other.workspace).observations,
                        Graph.read(host, "read_graph", Map.of("namespace", other.workspace)).observations,
                        "naming the other workspace reads it");
            }

            // 4. Sharing: what was written with "namespace": "global" is the same for both hosts, whole.
            Acknowledged global = stored.get("global");
            assertEquals(1 + 2 * SHARED_NOTES, global.observations.get(SHARED).size(), global.observations.toString());
            assertEquals(Set.of(List.of("from-a", SHARED, "follows"), List.of("from-b", SHARED, "follows")),
                    global.relations);
            for (Host host : hosts) {
                Graph graph = Graph.read(host, "read_graph", Map.of("namespace", "global"));
                assertEquals(global.observations, graph.observations, "host " + host.label + " reads global");
                assertEquals(global.relations, graph.relations);

                // the kg tools read the workspace and global together, each item saying its namespace
                JsonObject shared = host.engram.callToolOk("kg_get_entity", Map.of("entity", SHARED));
                assertEquals("global", shared.get("namespace").getAsString(), shared.toString());
                JsonObject node = shared.getAsJsonObject("node");
                assertEquals(global.observations.get(SHARED), new TreeSet<>(strings(map(node).get("observations"))));
                assertEquals(4, node.get("mentionCount").getAsInt(),
                        "both global memories and both workspace memories name it; no workspace has its own: "
                                + shared);
                Map<String, String> found = new TreeMap<>();
                host.engram.callToolOk("kg_search_nodes", Map.of("type", "Entity", "pattern", "from-*"))
                        .getAsJsonArray("nodes").forEach(n -> found.put(n.getAsJsonObject().get("label").getAsString(),
                                n.getAsJsonObject().get("namespace").getAsString()));
                assertEquals(Map.of("from-a", "global", "from-b", "global"), found);
                Map<String, String> components = new TreeMap<>();
                host.engram.callToolOk("kg_search_nodes", Map.of("type", "Entity", "pattern", "e0-*"))
                        .getAsJsonArray("nodes").forEach(n -> components.put(
                                n.getAsJsonObject().get("label").getAsString(),
                                n.getAsJsonObject().get("namespace").getAsString()));
                assertEquals(ENTITIES_PER_CALL, components.size(), components.toString());
                assertEquals(Set.of(host.workspace), new HashSet<>(components.values()), "only its own workspace's");

                // the memory tools too: both global memories, and only this workspace's own
                Map<String, String> memoriesFound = new TreeMap<>();
                host.engram.callToolOk("memory_search", Map.of("q", SHARED, "limit", 10)).getAsJsonArray("results")
                        .forEach(r -> memoriesFound.put(r.getAsJsonObject().get("id").getAsString(),
                                r.getAsJsonObject().get("namespace").getAsString()));
                Map<String, String> expected = new TreeMap<>();
                for (Map<String, Object> memory : memories) {
                    if (memory.get("namespace").equals("global") || memory.get("host").equals(host.label)) {
                        expected.put((String) memory.get("id"), (String) memory.get("namespace"));
                    }
                }
                assertEquals(3, expected.size());
                assertEquals(expected, memoriesFound, "host " + host.label + "'s memory_search");
            }

            for (Host host : hosts) {
                assertEquals(0, host.engram.closeStdinAndWait(Duration.ofSeconds(10)), host.engram.stderr());
                List<String> problems = host.engram.stderr().lines()
                        .filter(line -> line.contains(" ERROR ") || line.contains(" WARN ")).toList();
                assertEquals(List.of(), problems, "host " + host.label + " logged no warning or error");
            }
        }
    }

    @Test
    void withTheNamespaceSettingTwoWorkspacesShareOneGraphFromTheirFirstCall() throws Exception {
        enableCompat();
        Path settings = data.resolve("config/engram.compat.cfg");
        String text = Files.readString(settings, StandardCharsets.UTF_8);
        assertTrue(text.contains("\nnamespace =\n"), "shipped empty:\n" + text);
        Files.writeString(settings, text.replace("\nnamespace =\n", "\nnamespace = global\n"), StandardCharsets.UTF_8);

        try (McpProcess a = McpProcess.start(data, Map.of("ENGRAM_NAMESPACE", PROJECT_A));
                McpProcess b = McpProcess.start(data, Map.of("ENGRAM_NAMESPACE", PROJECT_B))) {
            List<Host> hosts = List.of(new Host("a", PROJECT_A, a), new Host("b", PROJECT_B, b));
            // The first calls go out right after the handshake, before FileInstall has applied the
            // config folder (about a second after launch): they must already use the file's namespace.
            List<Sent> sent = new ArrayList<>();
            for (Host host : hosts) {
                host.engram.initialize("2025-11-25");
                for (int c = 0; c < CALLS; c++) {
                    sent.add(send(host, "create_entities", Map.of("entities", List.of(Map.of("name",
                            host.label + "-" + c, "entityType", "note", "observations", List.of("from " + host.label))))));
                }
                sent.add(send(host, "create_entities", Map.of("entities", List.of(Map.of("name", SHARED,
                        "entityType", "convention", "observations", List.of("first written by host " + host.label))))));
            }
            Map<String, Set<String>> acknowledged = new TreeMap<>();
            for (Sent call : sent) {
                for (Object each : (List<?>) call.content().get("entities")) {
                    Map<?, ?> entity = (Map<?, ?>) each;
                    acknowledged.put((String) entity.get("name"), new TreeSet<>(strings(entity.get("observations"))));
                }
            }
            assertEquals(2 * CALLS + 1, acknowledged.size(), "one of the two hosts created Shared");

            for (Host host : hosts) {
                assertEquals(acknowledged, Graph.read(host, "read_graph", Map.of()).observations,
                        "host " + host.label + " reads the one graph both wrote");
                assertEquals(acknowledged, Graph.read(host, "read_graph", Map.of("namespace", "global")).observations,
                        "which is global's");
                assertEquals(Map.of(), Graph.read(host, "read_graph", Map.of("namespace", host.workspace))
                        .observations, "nothing went to the workspace, not even the first calls");
                JsonObject shared = host.engram.callToolOk("kg_get_entity", Map.of("entity", SHARED));
                assertEquals("global", shared.get("namespace").getAsString(), "the kg tools see it in global");
            }
            for (Host host : hosts) {
                assertEquals(0, host.engram.closeStdinAndWait(Duration.ofSeconds(10)), host.engram.stderr());
            }
        }
    }

    private static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(String.class::cast).toList();
    }

    /** A graph as the reference tools answer it, read page by page. */
    private static final class Graph {
        final Map<String, Set<String>> observations = new TreeMap<>();
        final Set<List<String>> relations = new HashSet<>();
        final Set<String> types = new TreeSet<>();

        static Graph read(Host host, String tool, Map<String, ?> arguments) throws Exception {
            Graph graph = new Graph();
            String cursor = null;
            do {
                Map<String, Object> page = new HashMap<>(arguments);
                if (cursor != null) {
                    page.put("cursor", cursor);
                }
                Map<String, Object> answer = map(host.engram.callToolOk(tool, page));
                for (Object each : (List<?>) answer.get("entities")) {
                    Map<?, ?> entity = (Map<?, ?>) each;
                    Set<String> previous = graph.observations.put((String) entity.get("name"),
                            new TreeSet<>(strings(entity.get("observations"))));
                    assertEquals(null, previous, "an entity on two pages: " + entity);
                    graph.types.add((String) entity.get("entityType"));
                }
                for (Object each : (List<?>) answer.get("relations")) {
                    Map<?, ?> relation = (Map<?, ?>) each;
                    graph.relations.add(List.of((String) relation.get("from"), (String) relation.get("to"),
                            (String) relation.get("relationType")));
                }
                cursor = (String) answer.get("nextCursor");
            } while (cursor != null);
            return graph;
        }
    }
}
