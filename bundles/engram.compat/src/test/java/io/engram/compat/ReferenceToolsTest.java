package io.engram.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import io.engram.kg.GraphModel;
import io.engram.storage.LmdbStore;
import io.engram.testing.TempStore;
import io.engram.testing.QuietToolContext;
import io.engram.testing.SchemaCheck;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The nine reference tools against a real LMDB store, every answer checked against its output
 * schema. The expected behaviour is the reference server's (@modelcontextprotocol/server-memory
 * 2026.8.31, dist/index.js), and the cases marked "seen" were run against it side by side with the
 * same calls (a stdio driver over bench/lib/stdio-server.mjs) and gave the answers asserted here.
 */
class ReferenceToolsTest {

    private static final ToolContext PROJ_A = QuietToolContext.inNamespace("projA");
    private static final ToolContext PROJ_B = QuietToolContext.inNamespace("projB");
    private static final Gson GSON = new GsonBuilder().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
            .create();

    @RegisterExtension
    final TempStore temp = new TempStore();

    private LmdbStore store;
    private ReferenceGraph graph;
    private Map<String, Tool> tools;

    @BeforeEach
    void openStore() {
        store = temp.store();
        graph = new ReferenceGraph(store, new GraphModel(Clock.systemUTC()), CompatSettings.DEFAULTS);
        tools = tools(graph);
    }

    private static Map<String, Tool> tools(ReferenceGraph graph) {
        List<Tool> all = List.of(new CreateEntitiesTool(graph), new CreateRelationsTool(graph),
                new AddObservationsTool(graph), new DeleteEntitiesTool(graph), new DeleteObservationsTool(graph),
                new DeleteRelationsTool(graph), new ReadGraphTool(graph), new SearchNodesTool(graph),
                new OpenNodesTool(graph));
        Map<String, Tool> byName = new java.util.LinkedHashMap<>();
        all.forEach(tool -> byName.put(tool.name(), tool));
        return byName;
    }


    /** Calls a tool in projA with arguments given as JSON and checks the answer against the output schema. */
    private Map<String, Object> call(String tool, String json) {
        return call(tool, PROJ_A, json);
    }

    private Map<String, Object> call(String tool, ToolContext context, String json) {
        return SchemaCheck.assertStructuredSuccess(tools.get(tool), raw(tool, context, json));
    }

    private ToolResult raw(String tool, ToolContext context, String json) {
        Map<String, Object> arguments = GSON.fromJson(json, new TypeToken<Map<String, Object>>() { }.getType());
        try {
            return tools.get(tool).call(new Arguments(arguments), context);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The answer as compact JSON, for comparing with what the reference answered. */
    private static String json(Object value) {
        return GSON.toJson(value);
    }

    private Map<String, Object> readAll(ToolContext context) {
        return call("read_graph", context, "{}");
    }

    @Test
    void namesTitlesDescriptionsAndAnnotationsAreTheReferences() {
        assertEquals(List.of("create_entities", "create_relations", "add_observations", "delete_entities",
                "delete_observations", "delete_relations", "read_graph", "search_nodes", "open_nodes"),
                new ArrayList<>(tools.keySet()));
        assertEquals("Create multiple new relations between entities in the knowledge graph. Relations should be in"
                + " active voice", tools.get("create_relations").description());
        assertEquals("Read Graph", tools.get("read_graph").title());
        ToolAnnotations write = new ToolAnnotations(false, false, false, false);
        ToolAnnotations delete = new ToolAnnotations(false, true, true, false);
        ToolAnnotations read = new ToolAnnotations(true, false, true, false);
        for (Tool tool : tools.values()) {
            SchemaCheck.assertPortableObjectSchema(tool.inputSchema());
            SchemaCheck.assertPortableObjectSchema(tool.outputSchema());
            ToolAnnotations expected = tool.name().startsWith("delete_") ? delete
                    : Set.of("read_graph", "search_nodes", "open_nodes").contains(tool.name()) ? read : write;
            assertEquals(expected, tool.annotations(), tool.name());
        }
        // the reference's required input fields, and nothing Engram adds is required
        assertTrue(tools.get("create_entities").inputSchema().contains(
                "\"required\": [\"name\", \"entityType\", \"observations\"]"));
        assertTrue(tools.get("read_graph").inputSchema().endsWith("\"required\": []}"));
        assertTrue(tools.get("search_nodes").inputSchema().endsWith("\"required\": [\"query\"]}"));
    }

    @Test
    void createEntitiesSkipsTakenNamesAndReturnsOnlyTheNewOnes() {
        // seen: the reference returns the new entities as given and [] for a name already taken
        Map<String, Object> first = call("create_entities", """
                {"entities": [{"name": "A", "entityType": "person", "observations": ["x"]},
                              {"name": "B", "entityType": "Place", "observations": ["Lives near Tea"]}]}""");
        assertEquals("""
                {"entities":[{"name":"A","entityType":"person","observations":["x"]},\
                {"name":"B","entityType":"Place","observations":["Lives near Tea"]}]}""", json(first));
        Map<String, Object> again = call("create_entities", """
                {"entities": [{"name": "A", "entityType": "other", "observations": ["y"]}]}""");
        assertEquals("{\"entities\":[]}", json(again));
        // the taken entity kept its type and observations
        assertEquals("""
                {"entities":[{"name":"A","entityType":"person","observations":["x"]}],"relations":[]}""",
                json(call("open_nodes", "{\"names\": [\"A\"]}")));
    }

    @Test
    void aNameTwiceInOneCallIsCreatedOnceAndObservationsAreKeptOnceEach() {
        // seen: the reference stores both (its file then holds entity A twice) and keeps ["x", "x"]
        Map<String, Object> created = call("create_entities", """
                {"entities": [{"name": "A", "entityType": "person", "observations": ["x", "x"]},
                              {"name": "A", "entityType": "t", "observations": []}]}""");
        assertEquals("{\"entities\":[{\"name\":\"A\",\"entityType\":\"person\",\"observations\":[\"x\"]}]}",
                json(created));
    }

    @Test
    void createRelationsSkipsExistingOnesAndNeedsNoEntities() {
        call("create_entities", """
                {"entities": [{"name": "A", "entityType": "person", "observations": []},
                              {"name": "B", "entityType": "place", "observations": []}]}""");
        Map<String, Object> created = call("create_relations", """
                {"relations": [{"from": "A", "to": "B", "relationType": "knows"},
                               {"from": "A", "to": "Ghost", "relationType": "haunts"}]}""");
        assertEquals(2, ((List<?>) created.get("relations")).size());
        assertEquals("{\"relations\":[]}", json(call("create_relations", """
                {"relations": [{"from": "A", "to": "B", "relationType": "knows"}]}""")));
        // a different type is a different relation
        assertEquals(1, ((List<?>) call("create_relations", """
                {"relations": [{"from": "A", "to": "B", "relationType": "likes"}]}""").get("relations")).size());
        // seen: the reference's read_graph shows a relation to a name that is no entity, without an entity for it
        assertEquals("""
                {"entities":[{"name":"A","entityType":"person","observations":[]},\
                {"name":"B","entityType":"place","observations":[]}],\
                "relations":[{"from":"A","to":"Ghost","relationType":"haunts"},\
                {"from":"A","to":"B","relationType":"knows"},{"from":"A","to":"B","relationType":"likes"}]}""",
                json(readAll(PROJ_A)));
        // and a later create_entities of that name creates it
        assertEquals(1, ((List<?>) call("create_entities", """
                {"entities": [{"name": "Ghost", "entityType": "spirit", "observations": []}]}""")
                .get("entities")).size());
    }

    @Test
    void addObservationsAddsOnlyWhatIsNewAndAnUnknownEntityFailsTheWholeCall() {
        call("create_entities", """
                {"entities": [{"name": "B", "entityType": "Place", "observations": ["Lives near Tea"]}]}""");
        // seen: the reference answers ["new", "new"] here and keeps both; Engram keeps each once
        assertEquals("{\"results\":[{\"entityName\":\"B\",\"addedObservations\":[\"new\"]}]}",
                json(call("add_observations", """
                        {"observations": [{"entityName": "B", "contents": ["new", "new", "Lives near Tea"]}]}""")));
        // seen: "Entity with name Nope not found", isError, and B did not get "z"
        ToolResult failed = raw("add_observations", PROJ_A, """
                {"observations": [{"entityName": "B", "contents": ["z"]}, {"entityName": "Nope", "contents": ["q"]}]}""");
        assertTrue(failed.isError());
        assertEquals("Entity with name Nope not found", failed.text());
        assertEquals("""
                {"entities":[{"name":"B","entityType":"Place","observations":["Lives near Tea","new"]}],"relations":[]}""",
                json(call("open_nodes", "{\"names\": [\"B\"]}")));
    }

    @Test
    void deletingAnEntityDeletesItsRelationsBothWaysAndUnknownNamesAreIgnored() {
        call("create_entities", """
                {"entities": [{"name": "A", "entityType": "p", "observations": []},
                              {"name": "B", "entityType": "p", "observations": []},
                              {"name": "C", "entityType": "p", "observations": []}]}""");
        call("create_relations", """
                {"relations": [{"from": "A", "to": "B", "relationType": "knows"},
                               {"from": "B", "to": "C", "relationType": "knows"},
                               {"from": "A", "to": "C", "relationType": "knows"}]}""");
        Map<String, Object> answer = call("delete_entities", "{\"entityNames\": [\"B\", \"Nope\"]}");
        assertEquals("{\"success\":true,\"message\":\"Entities deleted successfully\"}", json(answer));
        assertEquals("""
                {"entities":[{"name":"A","entityType":"p","observations":[]},{"name":"C","entityType":"p","observations":[]}],\
                "relations":[{"from":"A","to":"C","relationType":"knows"}]}""", json(readAll(PROJ_A)));
    }

    @Test
    void deleteObservationsRemovesTheListedOnesAndCreatesNothing() {
        call("create_entities", """
                {"entities": [{"name": "B", "entityType": "p", "observations": ["one", "two", "three"]}]}""");
        assertEquals("{\"success\":true,\"message\":\"Observations deleted successfully\"}",
                json(call("delete_observations", """
                        {"deletions": [{"entityName": "Nope", "observations": ["q"]},
                                       {"entityName": "B", "observations": ["two", "four"]}]}""")));
        assertEquals("""
                {"entities":[{"name":"B","entityType":"p","observations":["one","three"]}],"relations":[]}""",
                json(readAll(PROJ_A)));
    }

    @Test
    void deleteRelationsRemovesExactlyTheOnesListed() {
        call("create_relations", """
                {"relations": [{"from": "A", "to": "B", "relationType": "knows"},
                               {"from": "A", "to": "B", "relationType": "likes"}]}""");
        assertEquals("{\"success\":true,\"message\":\"Relations deleted successfully\"}",
                json(call("delete_relations", """
                        {"relations": [{"from": "A", "to": "B", "relationType": "knows"},
                                       {"from": "X", "to": "Y", "relationType": "knows"}]}""")));
        assertEquals("{\"entities\":[],\"relations\":[{\"from\":\"A\",\"to\":\"B\",\"relationType\":\"likes\"}]}",
                json(readAll(PROJ_A)));
    }

    @Test
    void searchMatchesNameTypeAndObservationsIgnoringCaseWithRelationsTouchingAMatch() {
        call("create_entities", """
                {"entities": [{"name": "Alice", "entityType": "person", "observations": ["drinks coffee"]},
                              {"name": "Bob", "entityType": "TEAcher", "observations": []},
                              {"name": "Carol", "entityType": "person", "observations": ["Lives near Tea Street"]},
                              {"name": "Dave", "entityType": "person", "observations": []},
                              {"name": "Steam", "entityType": "thing", "observations": []}]}""");
        call("create_relations", """
                {"relations": [{"from": "Alice", "to": "Bob", "relationType": "knows"},
                               {"from": "Dave", "to": "Alice", "relationType": "knows"},
                               {"from": "Carol", "to": "Bob", "relationType": "teaches"}]}""");
        Map<String, Object> found = call("search_nodes", "{\"query\": \"tEa\"}");
        List<?> names = ((List<?>) found.get("entities")).stream().map(e -> ((Map<?, ?>) e).get("name")).toList();
        assertEquals(List.of("Bob", "Carol", "Steam"), names); // by type, by observation, by name
        // seen: the reference gives every relation with at least one end among the matches
        assertEquals(Set.of("Alice knows Bob", "Carol teaches Bob"), relations(found));
        assertEquals("{\"entities\":[],\"relations\":[]}", json(call("search_nodes", "{\"query\": \"zebra\"}")));
    }

    @Test
    void openNodesGivesTheNamedEntitiesWithEveryRelationTouchingThem() {
        call("create_entities", """
                {"entities": [{"name": "A", "entityType": "p", "observations": []},
                              {"name": "B", "entityType": "p", "observations": []},
                              {"name": "C", "entityType": "p", "observations": []}]}""");
        call("create_relations", """
                {"relations": [{"from": "A", "to": "B", "relationType": "knows"},
                               {"from": "B", "to": "C", "relationType": "knows"},
                               {"from": "A", "to": "C", "relationType": "knows"}]}""");
        Map<String, Object> opened = call("open_nodes", "{\"names\": [\"B\", \"Nope\"]}");
        assertEquals(1, ((List<?>) opened.get("entities")).size());
        assertEquals(Set.of("A knows B", "B knows C"), relations(opened));
    }

    private static Set<String> relations(Map<String, Object> graph) {
        Set<String> relations = new HashSet<>();
        for (Object each : (List<?>) graph.get("relations")) {
            Map<?, ?> relation = (Map<?, ?>) each;
            assertTrue(relations.add(relation.get("from") + " " + relation.get("relationType") + " "
                    + relation.get("to")), "each relation once: " + relation);
        }
        return relations;
    }

    @Test
    void readGraphPagesWithinItsBudgetAndTheCursorWalksEveryEntityAndRelationOnce() {
        // 150 entities with three observations and one relation each: the reference returns it all at once
        StringBuilder entities = new StringBuilder();
        StringBuilder relations = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            entities.append(i == 0 ? "" : ",").append("""
                    {"name": "entity-%03d", "entityType": "component", "observations": ["observation one about %d",
                     "observation two about %d", "a third observation about entity %d"]}""".formatted(i, i, i, i));
            relations.append(i == 0 ? "" : ",").append("""
                    {"from": "entity-%03d", "to": "entity-%03d", "relationType": "depends_on"}""".formatted(i, (i + 1) % 150));
        }
        call("create_entities", "{\"entities\": [" + entities + "]}");
        call("create_relations", "{\"relations\": [" + relations + "]}");

        Map<String, Object> first = readAll(PROJ_A);
        assertTrue(json(first).length() < 9_000, "the first answer stays near the 8,000-character budget");
        assertEquals(true, first.get("truncated"));
        assertNotNull(first.get("nextCursor"));

        Set<String> names = new HashSet<>();
        Set<String> edges = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, Object> page = call("read_graph", cursor == null ? "{}" : "{\"cursor\": \"" + cursor + "\"}");
            for (Object each : (List<?>) page.get("entities")) {
                assertTrue(names.add((String) ((Map<?, ?>) each).get("name")), "each entity once");
            }
            for (String relation : relations(page)) {
                assertTrue(edges.add(relation), "each relation once");
            }
            cursor = (String) page.get("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(150, names.size());
        assertEquals(150, edges.size());
        assertTrue(pages > 3, "pages: " + pages);

        Map<String, Object> limited = call("read_graph", "{\"limit\": 2}");
        assertEquals(2, ((List<?>) limited.get("entities")).size());
        assertEquals(false, limited.get("truncated"), "cut by the limit, not the budget");
        Map<String, Object> searched = call("search_nodes", "{\"query\": \"about\", \"limit\": 5}");
        assertEquals(5, ((List<?>) searched.get("entities")).size());
        InvalidArgumentException wrongCursor = assertThrows(InvalidArgumentException.class,
                () -> raw("read_graph", PROJ_A, "{\"cursor\": \"" + searched.get("nextCursor") + "\"}"));
        assertEquals("cursor", wrongCursor.field());
    }

    @Test
    void aSmallGraphComesWholeWithoutPagingFields() {
        call("create_entities", "{\"entities\": [{\"name\": \"A\", \"entityType\": \"p\", \"observations\": []}]}");
        Map<String, Object> whole = readAll(PROJ_A);
        assertNull(whole.get("nextCursor"));
        assertEquals(Set.of("entities", "relations"), whole.keySet());
    }

    @Test
    void eachWorkspaceHasItsOwnGraphAndTheNamespaceArgumentNamesAnother() {
        call("create_entities", PROJ_A, "{\"entities\": [{\"name\": \"A\", \"entityType\": \"p\", \"observations\": []}]}");
        call("create_entities", PROJ_B, "{\"entities\": [{\"name\": \"B\", \"entityType\": \"p\", \"observations\": []}]}");
        call("create_entities", PROJ_A, """
                {"entities": [{"name": "G", "entityType": "p", "observations": []}], "namespace": "global"}""");
        assertEquals(List.of("A"), names(readAll(PROJ_A)));
        assertEquals(List.of("B"), names(readAll(PROJ_B)));
        assertEquals(List.of("G"), names(call("read_graph", PROJ_B, "{\"namespace\": \"global\"}")));
        assertEquals(List.of("G"), names(call("read_graph", PROJ_B, "{\"namespace\": \" global \"}")), "trimmed");
        assertEquals(List.of("B"), names(call("read_graph", PROJ_B, "{\"namespace\": \"\"}")),
                "blank counts as absent");
        assertEquals(List.of(), names(call("search_nodes", PROJ_A, "{\"query\": \"B\"}")));
        call("delete_entities", PROJ_B, "{\"entityNames\": [\"A\"]}");
        assertEquals(List.of("A"), names(readAll(PROJ_A)), "another workspace cannot delete it");
    }

    @Test
    void theNamespaceSettingGivesEveryProjectOneGraphAsTheReferencesSingleFile() {
        graph.applySettings(new CompatSettings("global", 8_000, 500));
        call("create_entities", PROJ_A, "{\"entities\": [{\"name\": \"A\", \"entityType\": \"p\", \"observations\": []}]}");
        assertEquals(List.of("A"), names(readAll(PROJ_B)));
        assertEquals(List.of("A"), names(call("read_graph", PROJ_B, "{\"namespace\": \"global\"}")));
        assertEquals(List.of(), names(call("read_graph", PROJ_B, "{\"namespace\": \"projA\"}")),
                "an explicit namespace still wins");
    }

    private static List<Object> names(Map<String, Object> graph) {
        return ((List<?>) graph.get("entities")).stream().<Object>map(e -> ((Map<?, ?>) e).get("name")).toList();
    }

    @Test
    void aBadNameIsRefusedNamingItsFieldAndNothingOfTheCallIsWritten() {
        InvalidArgumentException refused = assertThrows(InvalidArgumentException.class, () -> raw("create_entities",
                PROJ_A, """
                {"entities": [{"name": "A", "entityType": "p", "observations": []},
                              {"name": " ", "entityType": "p", "observations": []}]}"""));
        assertEquals("entities[1].name", refused.field());
        assertEquals("relations[0].relationType", assertThrows(InvalidArgumentException.class,
                () -> raw("create_relations", PROJ_A, """
                        {"relations": [{"from": "A", "to": "B", "relationType": ""}]}""")).field());
        assertEquals("entities[0].observations", assertThrows(InvalidArgumentException.class,
                () -> raw("create_entities", PROJ_A, "{\"entities\": [{\"name\": \"A\", \"entityType\": \"p\"}]}"))
                .field());
        assertEquals("{\"entities\":[],\"relations\":[]}", json(readAll(PROJ_A)));
    }

    @Test
    void overlappingCallsLoseNothing() throws Exception {
        // the reference loads, changes and rewrites its whole file per call: overlapping calls overwrite each other
        call("create_entities", "{\"entities\": [{\"name\": \"shared\", \"entityType\": \"p\", \"observations\": []}]}");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                calls.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        call("create_entities", """
                                {"entities": [{"name": "t%d-%d", "entityType": "p", "observations": []}]}"""
                                .formatted(thread, i));
                        call("add_observations", """
                                {"observations": [{"entityName": "shared", "contents": ["from %d-%d"]}]}"""
                                .formatted(thread, i));
                    }
                    return null;
                }));
            }
            for (Future<?> each : calls) {
                each.get();
            }
        } finally {
            pool.shutdown();
        }
        List<Object> all = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> page = call("read_graph", cursor == null ? "{\"limit\": 500}"
                    : "{\"limit\": 500, \"cursor\": \"" + cursor + "\"}");
            all.addAll((List<?>) page.get("entities"));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        assertEquals(201, all.size());
        Map<?, ?> shared = (Map<?, ?>) ((List<?>) call("open_nodes", "{\"names\": [\"shared\"]}").get("entities"))
                .get(0);
        assertEquals(200, ((List<?>) shared.get("observations")).size());
    }
}
