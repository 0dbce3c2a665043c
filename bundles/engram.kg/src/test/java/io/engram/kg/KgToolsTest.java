package io.engram.kg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import io.engram.storage.LmdbStore;
import io.engram.testing.TempStore;
import io.engram.testing.QuietToolContext;
import io.engram.testing.SchemaCheck;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The eleven kg tools against a real LMDB store, checking every answer against its output schema. */
class KgToolsTest {

    private static final ToolContext PROJ_A = QuietToolContext.inNamespace("projA");
    private static final ToolContext PROJ_B = QuietToolContext.inNamespace("projB");

    @RegisterExtension
    final TempStore temp = new TempStore();

    private LmdbStore store;
    private KgEngine kg;
    private Tool listEntities;
    private Tool getEntity;
    private Tool createEntity;
    private Tool createRelation;
    private Tool searchNodes;
    private Tool readGraph;
    private Tool tagEntity;
    private Tool getTags;
    private Tool removeTag;
    private Tool deleteEntity;
    private Tool deleteRelation;

    @BeforeEach
    void openStore() {
        store = temp.store();
        kg = new KgEngine(store, Clock.systemUTC(), KgSettings.DEFAULTS);
        listEntities = new KgListEntitiesTool(kg);
        getEntity = new KgGetEntityTool(kg);
        createEntity = new KgCreateEntityTool(kg);
        createRelation = new KgCreateRelationTool(kg);
        searchNodes = new KgSearchNodesTool(kg);
        readGraph = new KgReadGraphTool(kg);
        tagEntity = new KgTagEntityTool(kg);
        getTags = new KgGetTagsTool(kg);
        removeTag = new KgRemoveTagTool(kg);
        deleteEntity = new KgDeleteEntityTool(kg);
        deleteRelation = new KgDeleteRelationTool(kg);
    }


    private List<Tool> tools() {
        return List.of(listEntities, getEntity, createEntity, createRelation, searchNodes, readGraph, tagEntity,
                getTags, removeTag, deleteEntity, deleteRelation);
    }

    /** Calls a tool in workspace projA. */
    private Map<String, Object> call(Tool tool, Object... namesAndValues) {
        return call(tool, PROJ_A, namesAndValues);
    }

    /** Calls a tool and checks that its structured content conforms to its output schema. */
    private static Map<String, Object> call(Tool tool, ToolContext context, Object... namesAndValues) {
        return SchemaCheck.assertStructuredSuccess(tool, raw(tool, context, namesAndValues));
    }

    /** Calls a tool as the host does, returning what it returns (an error result too). */
    private static ToolResult raw(Tool tool, ToolContext context, Object... namesAndValues) {
        try {
            return tool.call(new Arguments(args(namesAndValues)), context);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Object> args(Object... namesAndValues) {
        Map<String, Object> arguments = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            arguments.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return arguments;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Map<String, Object> result, String name) {
        return (List<T>) result.get(name);
    }

    /** Follows nextCursor to the end, collecting the items under {@code name} of every page. */
    private List<Object> allPages(Tool tool, ToolContext context, String name, Object... namesAndValues) {
        List<Object> items = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            List<Object> arguments = new ArrayList<>(List.of(namesAndValues));
            if (cursor != null) {
                arguments.add("cursor");
                arguments.add(cursor);
            }
            Map<String, Object> page = call(tool, context, arguments.toArray());
            items.addAll(list(page, name));
            cursor = (String) page.get("nextCursor");
            assertTrue(++pages < 1000, "paging ends");
        } while (cursor != null);
        return items;
    }

    @Test
    void schemasAreNamedPortableObjectSchemasAndAnnotationsTellWhatIsSafe() {
        Set<String> names = new HashSet<>();
        for (Tool tool : tools()) {
            SchemaCheck.assertDescribedTool(tool, "kg");
            names.add(tool.name());
        }
        assertEquals(Set.of("kg_list_entities", "kg_get_entity", "kg_create_entity", "kg_create_relation",
                "kg_search_nodes", "kg_read_graph", "kg_tag_entity", "kg_get_tags", "kg_remove_tag",
                "kg_delete_entity", "kg_delete_relation"), names);
        for (Tool tool : List.of(listEntities, getEntity, searchNodes, readGraph, getTags)) {
            assertEquals(Boolean.TRUE, tool.annotations().readOnlyHint(), tool.name());
        }
        for (Tool tool : List.of(createEntity, createRelation, tagEntity)) {
            assertEquals(Boolean.FALSE, tool.annotations().destructiveHint(), tool.name());
            assertEquals(Boolean.TRUE, tool.annotations().idempotentHint(), tool.name());
        }
        for (Tool tool : List.of(deleteEntity, deleteRelation, removeTag)) {
            assertEquals(Boolean.TRUE, tool.annotations().destructiveHint(), tool.name());
        }
    }

    @Test
    void createEntityIsIdempotent() {
        assertEquals(Map.of("entity", "LMDB", "namespace", "projA", "created", true),
                call(createEntity, "entity", " LMDB "));
        assertEquals(Map.of("entity", "LMDB", "namespace", "projA", "created", false),
                call(createEntity, "entity", "Entity::LMDB"));
        assertEquals(1, allPages(readGraph, PROJ_A, "nodes").size());
    }

    @Test
    void createEntityKeepsTypeAndObservationsOnce() {
        call(createEntity, "entity", "Alice", "entityType", "person", "observations", List.of("likes LMDB"));
        call(createEntity, "entity", "Alice", "observations", List.of("likes LMDB", "writes Java"));
        @SuppressWarnings("unchecked")
        Map<String, Object> node = (Map<String, Object>) call(getEntity, "entity", "Alice").get("node");
        assertEquals("person", node.get("entityType"));
        assertEquals(List.of("likes LMDB", "writes Java"), node.get("observations"));
    }

    @Test
    void tagsAreMergedAndDeduplicatedAndCanBeRemoved() {
        Map<String, Object> first = call(tagEntity, "entity", "Python", "tags", List.of("lang", " dynamic", "lang"));
        assertEquals(List.of("lang", "dynamic"), first.get("tags"), "created, trimmed, once each");
        assertEquals(List.of("lang", "dynamic"), first.get("added"));
        assertEquals(true, first.get("tagged"));
        Map<String, Object> second = call(tagEntity, "entity", "Python", "tags", List.of("dynamic", "scripting"));
        assertEquals(List.of("lang", "dynamic", "scripting"), second.get("tags"));
        assertEquals(List.of("scripting"), second.get("added"));
        call(tagEntity, "entity", "Ruby", "tags", List.of("lang"));

        assertEquals(List.of(List.of("Python", "projA"), List.of("Ruby", "projA")),
                call(getTags, "tag", "lang").get("entities"));
        assertEquals(List.of(List.of("dynamic", "projA"), List.of("lang", "projA"), List.of("scripting", "projA")),
                call(getTags).get("tags"), "each tag once, however many entities carry it");

        Map<String, Object> removed = call(removeTag, "entity", "Python", "tags", List.of("lang", "nope"));
        assertEquals(List.of("lang"), removed.get("removed"));
        assertEquals(List.of("dynamic", "scripting"), removed.get("tags"));
        assertEquals(true, removed.get("success"));
        assertEquals(List.of(List.of("Ruby", "projA")), call(getTags, "tag", "lang").get("entities"));
        assertEquals(false, call(removeTag, "entity", "Nobody", "tags", List.of("lang")).get("success"));

        InvalidArgumentException empty = assertThrows(InvalidArgumentException.class,
                () -> tagEntity.call(new Arguments(args("entity", "Python", "tags", List.of())), PROJ_A));
        assertTrue(empty.getMessage().contains("tags"), empty.getMessage());
    }

    @Test
    void relationsDefaultToRelatedAndShowOnTheEntity() {
        Map<String, Object> created = call(createRelation, "src", "Python", "dst", "Entity::CPython");
        assertEquals(Map.of("src", "Entity::Python", "dst", "Entity::CPython", "relation", "RELATED",
                "namespace", "projA", "created", true), created);
        assertEquals(false, call(createRelation, "src", "Entity::Python", "dst", "CPython", "relation", "related")
                .get("created"), "the same relation");
        call(createRelation, "src", "Document::guide.md", "dst", "Python", "relation", "EVIDENCE");
        call(createRelation, "src", "Python", "dst", "Document::spec.pdf", "relation", "described_in");

        Map<String, Object> entity = call(getEntity, "entity", "Python");
        assertEquals("Python", entity.get("entity"));
        assertEquals("projA", entity.get("namespace"));
        assertEquals(List.of("Document::spec.pdf", "Document::guide.md"), entity.get("docs"));
        assertEquals(2L, entity.get("docCount"));
        assertEquals(List.of(
                List.of("Entity::Python", "Entity::CPython", "RELATED", "projA"),
                List.of("Entity::Python", "Document::spec.pdf", "described_in", "projA"),
                List.of("Document::guide.md", "Entity::Python", "EVIDENCE", "projA")), entity.get("relations"));

        Map<String, Object> deleted = call(deleteRelation, "src", "Python", "dst", "CPython");
        assertEquals(true, deleted.get("deleted"));
        assertEquals("RELATED", deleted.get("relation"));
        assertEquals(false, call(deleteRelation, "src", "Python", "dst", "CPython").get("deleted"));
        assertEquals(2L, call(getEntity, "entity", "Python").get("count"));

        InvalidArgumentException badKey = assertThrows(InvalidArgumentException.class, () -> createRelation.call(
                new Arguments(args("src", "Thing::x", "dst", "Python")), PROJ_A));
        assertTrue(badKey.getMessage().contains("src") && badKey.getMessage().contains("unknown node type 'Thing'"),
                badKey.getMessage());
        ToolResult missing = raw(getEntity, PROJ_A, "entity", "Nobody");
        assertTrue(missing.isError());
        assertEquals("No entity 'Nobody' in namespace projA or global; kg_search_nodes finds names by part,"
                + " kg_create_entity creates one.", missing.text());
    }

    @Test
    void mentionCountsOrderTheEntityListAndStayExact() {
        for (String memory : List.of("m1", "m2", "m3")) {
            call(createRelation, "src", "Memory::" + memory, "dst", "LMDB", "relation", "MENTIONS");
        }
        call(createRelation, "src", "Memory::m1", "dst", "Java", "relation", "mentions");
        call(createEntity, "entity", "Gradle");
        assertEquals(List.of(List.of("LMDB", 3L, "projA"), List.of("Java", 1L, "projA"),
                List.of("Gradle", 0L, "projA")), call(listEntities).get("entities"));

        call(deleteRelation, "src", "Memory::m2", "dst", "LMDB", "relation", "MENTIONS");
        Map<String, Object> deletion = call(deleteEntity, "entity", "Java");
        assertEquals(Map.of("entity", "Java", "namespace", "projA", "deleted", true, "removedItems", 1L,
                "removedRelations", 1L, "removedTags", 0L), deletion);
        assertEquals(List.of(List.of("LMDB", 2L, "projA"), List.of("Gradle", 0L, "projA")),
                call(listEntities).get("entities"));
        @SuppressWarnings("unchecked")
        Map<String, Object> node = (Map<String, Object>) call(getEntity, "entity", "LMDB").get("node");
        assertEquals(2L, node.get("mentionCount"));
    }

    @Test
    void deletingAnEntityCascadesToItsRelationsAndTags() {
        call(createRelation, "src", "Python", "dst", "CPython");
        call(createRelation, "src", "Memory::m1", "dst", "Python", "relation", "MENTIONS");
        call(tagEntity, "entity", "Python", "tags", List.of("lang", "dynamic"));
        Map<String, Object> deletion = call(deleteEntity, "entity", "Python");
        assertEquals(4L, deletion.get("removedItems"));
        assertEquals(2L, deletion.get("removedRelations"));
        assertEquals(2L, deletion.get("removedTags"));
        assertEquals(List.of(), call(getTags).get("tags"));
        assertEquals(List.of(), call(getEntity, "entity", "CPython").get("relations"));
        assertEquals(List.of(List.of("Entity::CPython", "projA"), List.of("Memory::m1", "projA")),
                call(readGraph, "namesOnly", true).get("nodeKeys"), "the nodes at the other end stay");
        assertEquals(false, call(deleteEntity, "entity", "Python").get("deleted"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void searchMatchesTypeAndNamePartIgnoringCase() {
        for (String name : List.of("PostgreSQL", "MySQL", "SQLite", "Python")) {
            call(createEntity, "entity", name);
        }
        call(createRelation, "src", "Document::sql-guide", "dst", "MySQL");
        call(createRelation, "src", "Memory::mem_sql", "dst", "MySQL", "relation", "MENTIONS");

        assertEquals(List.of("Entity::MySQL", "Entity::PostgreSQL", "Entity::SQLite", "Document::sql-guide",
                "Memory::mem_sql"), keys(call(searchNodes, "pattern", "SQL")), "entities first, then by type and name");
        assertEquals(List.of("Entity::MySQL", "Entity::PostgreSQL", "Entity::SQLite"),
                keys(call(searchNodes, "type", "Entity", "pattern", "sql")));
        assertEquals(List.of("Entity::SQLite"), keys(call(searchNodes, "type", "Entity", "pattern", "sql*")),
                "a prefix with *");
        assertEquals(List.of("Memory::mem_sql"), keys(call(searchNodes, "type", "Memory")));
        Map<String, Object> mysql = list(call(searchNodes, "pattern", "mysql"), "nodes").stream()
                .map(o -> (Map<String, Object>) o).findFirst().orElseThrow();
        assertEquals(Map.of("type", "Entity", "label", "MySQL", "nodeKey", "Entity::MySQL", "namespace", "projA",
                "mentionCount", 1L), mysql);
        assertEquals(List.of(), keys(call(searchNodes, "pattern", "oracle")));
        InvalidArgumentException badType = assertThrows(InvalidArgumentException.class,
                () -> searchNodes.call(new Arguments(args("type", "Person")), PROJ_A));
        assertTrue(badType.getMessage().contains("type"), badType.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static List<String> keys(Map<String, Object> search) {
        return list(search, "nodes").stream().map(o -> (String) ((Map<String, Object>) o).get("nodeKey")).toList();
    }

    @Test
    void everyListPagesWithCursorsOverSeveralPages() {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            String name = "Entity%02d".formatted(i);
            expected.add(name);
            call(tagEntity, "entity", name, "tags", List.of("t" + (i % 12), "all"));
            call(createRelation, "src", "Memory::m" + i, "dst", name, "relation", "MENTIONS");
        }
        Map<String, Object> firstPage = call(listEntities, "limit", 10L);
        assertEquals(10L, firstPage.get("count"));
        assertEquals(false, firstPage.get("truncated"), "stopped by the limit, not the budget");
        assertNotNull(firstPage.get("nextCursor"));

        Set<String> listed = new HashSet<>();
        for (Object item : allPages(listEntities, PROJ_A, "entities", "limit", 10L)) {
            assertTrue(listed.add((String) ((List<?>) item).get(0)), "listed once: " + item);
        }
        assertEquals(expected, listed);
        assertEquals(25, allPages(searchNodes, PROJ_A, "nodes", "type", "Entity", "pattern", "entity", "limit", 7L)
                .size());
        assertEquals(25, allPages(getTags, PROJ_A, "entities", "tag", "all", "limit", 4L).size());
        assertEquals(13, allPages(getTags, PROJ_A, "tags", "limit", 5L).size(), "t0..t11 and all");
        List<Object> nodeKeys = allPages(readGraph, PROJ_A, "nodeKeys", "namesOnly", true, "limit", 9L);
        assertEquals(50, nodeKeys.size(), "25 entities and 25 memories");
        assertEquals(50, new HashSet<>(nodeKeys).size());

        InvalidArgumentException bad = assertThrows(InvalidArgumentException.class,
                () -> listEntities.call(new Arguments(args("cursor", "not-a-cursor")), PROJ_A));
        assertTrue(bad.getMessage().contains("cursor"), bad.getMessage());
        String searchCursor = (String) call(searchNodes, "limit", 1L).get("nextCursor");
        InvalidArgumentException foreign = assertThrows(InvalidArgumentException.class,
                () -> listEntities.call(new Arguments(args("cursor", searchCursor)), PROJ_A));
        assertTrue(foreign.getMessage().contains("another tool"), foreign.getMessage());
        assertThrows(InvalidArgumentException.class,
                () -> listEntities.call(new Arguments(args("limit", 501L)), PROJ_A), "above maxLimit");
    }

    @Test
    void readGraphPagesEveryEdgeOnceWithItsSource() {
        for (int i = 0; i < 30; i++) {
            call(createRelation, "src", "Memory::m" + i, "dst", "E" + (i % 5), "relation", "MENTIONS");
        }
        List<Object> edges = allPages(readGraph, PROJ_A, "edges", "limit", 4L);
        assertEquals(30, edges.size());
        assertEquals(30, new HashSet<>(edges).size());
        assertTrue(edges.contains(List.of("Memory::m7", "Entity::E2", "MENTIONS", "projA")), edges.toString());
    }

    @Test
    void aPageStopsAtTheCharacterBudgetWithAnExplicitMarker() {
        kg.applySettings(new KgSettings(600, 500));
        for (int i = 0; i < 40; i++) {
            call(createEntity, "entity", "SomeRatherLongEntityName" + i, "entityType", "thing");
        }
        Map<String, Object> page = call(readGraph);
        assertEquals(true, page.get("truncated"));
        assertNotNull(page.get("nextCursor"));
        long count = (Long) page.get("count");
        assertTrue(count > 1 && count < 40, "some but not all: " + count);
        assertTrue(new Gson().toJson(page.get("nodes")).length() <= 600 + count, "within the budget");
        assertEquals(40, allPages(readGraph, PROJ_A, "nodes").size(), "the rest follows through the cursor");
        assertEquals(40, allPages(listEntities, PROJ_A, "entities").size());

        // an entity's own observations share the budget with its relations
        for (int i = 0; i < 10; i++) {
            call(createRelation, "src", "Hub", "dst", "SomeRatherLongEntityName" + i);
        }
        assertTrue((Long) call(getEntity, "entity", "Hub").get("count") > 1);
        call(createEntity, "entity", "Hub", "observations", List.of("x".repeat(500)));
        Map<String, Object> crowded = call(getEntity, "entity", "Hub");
        assertEquals(true, crowded.get("truncated"));
        assertEquals(1L, crowded.get("count"), "at least one relation per page, so paging moves on");
        assertEquals(10, allPages(getEntity, PROJ_A, "relations", "entity", "Hub").size());
    }

    @Test
    void readGraphAt150EntitiesStaysSmallAndNamesOnlyIsSmaller() {
        for (int i = 0; i < 150; i++) {
            String name = "Component" + i;
            call(createEntity, "entity", name, "entityType", "module", "observations",
                    List.of("Component " + i + " handles part " + i + " of the request pipeline",
                            "It was last refactored in release " + (i % 7), "Owned by team " + (i % 4)));
            call(createRelation, "src", name, "dst", "Component" + ((i + 1) % 150), "relation", "calls");
        }
        Map<String, Object> page = call(readGraph);
        int chars = new Gson().toJson(page).length();
        assertTrue(chars < 12_000, "default answer under about 3,000 tokens: " + chars + " characters");
        assertEquals(true, page.get("truncated"), "the rest is a cursor away");
        Map<String, Object> names = call(readGraph, "namesOnly", true);
        assertTrue((Long) names.get("count") > (Long) page.get("count"), "names-only fits more nodes per answer");
        assertNull(names.get("nodes"));
        assertEquals(List.of("Entity::Component0", "projA"), list(names, "nodeKeys").get(0));
        assertEquals(List.of("Entity::Component0", "Entity::Component1", "calls", "projA"), list(names, "edges").get(0));
        assertEquals(150, allPages(readGraph, PROJ_A, "nodeKeys", "namesOnly", true).size());
    }

    @Test
    void workspacesAreIsolatedAndGlobalIsShared() {
        call(createEntity, PROJ_A, "entity", "Secret");
        call(createEntity, PROJ_B, "entity", "Other");
        assertEquals("global", call(createEntity, PROJ_A, "entity", "Java", "namespace", "global").get("namespace"));
        call(createRelation, PROJ_A, "src", "Memory::m1", "dst", "Java", "relation", "MENTIONS", "namespace", "global");

        assertEquals(List.of(List.of("Java", 1L, "global"), List.of("Secret", 0L, "projA")),
                call(listEntities, PROJ_A).get("entities"));
        assertEquals(List.of(List.of("Java", 1L, "global"), List.of("Other", 0L, "projB")),
                call(listEntities, PROJ_B).get("entities"), "by count across namespaces, each saying its own");
        assertEquals(List.of("Entity::Java"), keys(call(searchNodes, PROJ_B, "type", "Entity", "pattern", "a")),
                "projB sees global, not projA");
        assertTrue(raw(getEntity, PROJ_B, "entity", "Secret").isError());
        assertEquals("global", call(getEntity, PROJ_B, "entity", "Java").get("namespace"));
        assertEquals(List.of(List.of("Other", 0L, "projB")),
                call(listEntities, PROJ_B, "namespace", "projB").get("entities"), "one namespace when named");
        assertEquals(List.of(List.of("Secret", 0L, "projA")),
                call(listEntities, PROJ_B, "namespace", "projA").get("entities"), "another one by name");
        assertEquals(List.of(List.of("Java", 1L, "global")),
                call(listEntities, PROJ_B, "namespace", " global ").get("entities"), "trimmed");
        assertEquals(List.of(List.of("Java", 1L, "global"), List.of("Other", 0L, "projB")),
                call(listEntities, PROJ_B, "namespace", "").get("entities"), "blank counts as absent");
        assertEquals("projB", call(createEntity, PROJ_B, "entity", "Blank", "namespace", " ").get("namespace"),
                "a write with a blank namespace goes to the workspace");
        call(deleteEntity, PROJ_B, "entity", "Blank");

        // the same name in two namespaces is two entities; the workspace's comes first
        call(tagEntity, PROJ_A, "entity", "Java", "tags", List.of("local"));
        assertEquals("projA", call(getEntity, PROJ_A, "entity", "Java").get("namespace"));
        assertEquals(false, call(deleteEntity, PROJ_B, "entity", "Java").get("deleted"), "writes stay in projB");
        assertEquals(true, call(deleteEntity, PROJ_A, "entity", "Java").get("deleted"));
        assertEquals("global", call(getEntity, PROJ_A, "entity", "Java").get("namespace"), "global's is untouched");
        assertEquals(List.of(), call(getTags, PROJ_A, "tag", "local").get("entities"));
    }
}
