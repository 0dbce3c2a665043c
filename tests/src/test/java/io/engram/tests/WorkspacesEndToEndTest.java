package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosts of different workspaces on one store: each sees its own memories and the global ones,
 * never another workspace's unless it names it. The workspace comes from the client's roots,
 * else ENGRAM_NAMESPACE, else the host's working directory.
 */
class WorkspacesEndToEndTest {

    private static final String PROJECT_A = "/work/project-a";
    private static final String PROJECT_B = "/work/project-b";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path data;

    /** Search results as id -> namespace, in order. */
    private static Map<String, String> found(McpClient client, Map<String, ?> arguments) throws Exception {
        JsonObject search = client.callToolOk("memory_search", arguments);
        Map<String, String> found = new LinkedHashMap<>();
        search.getAsJsonArray("results").forEach(r -> found.put(r.getAsJsonObject().get("id").getAsString(),
                r.getAsJsonObject().get("namespace").getAsString()));
        return found;
    }

    private static String add(McpClient client, Map<String, ?> arguments, String expectedNamespace) throws Exception {
        JsonObject added = client.callToolOk("memory_add", arguments);
        assertEquals(expectedNamespace, added.get("namespace").getAsString(), added.toString());
        return added.get("id").getAsString();
    }

    private static String path(String absolute) {
        return Path.of(absolute).toAbsolutePath().normalize().toString();
    }

    @Test
    void twoWorkspacesOnOneStoreShareOnlyTheGlobalNamespace() throws Exception {
        try (McpProcess a = McpProcess.start(data, Map.of("ENGRAM_NAMESPACE", PROJECT_A));
                McpProcess b = McpProcess.start(data, Map.of("ENGRAM_NAMESPACE", " " + PROJECT_B + " "))) {
            a.initialize("2025-11-25");
            b.initialize("2025-06-18");

            String decisionA = add(a, Map.of("content", "Project A decided to keep the parser hand-written",
                    "layer_hint", "LTM"), PROJECT_A);
            String convention = add(a, Map.of("content", "Every project decided on UTF-8 everywhere",
                    "namespace", "global", "layer_hint", "LTM"), "global");
            String decisionB = add(b, Map.of("content", "Project B decided to generate its parser",
                    "layer_hint", "LTM"), PROJECT_B);

            assertEquals(Map.of(decisionA, PROJECT_A, convention, "global"), found(a, Map.of("q", "decided")));
            assertEquals(Map.of(decisionB, PROJECT_B, convention, "global"), found(b, Map.of("q", "decided")));
            assertEquals(Map.of(), found(b, Map.of("q", "hand-written")), "B never sees A's memory by default");
            assertEquals(Map.of(decisionA, PROJECT_A), found(b, Map.of("q", "decided", "namespace", PROJECT_A)),
                    "naming a namespace searches that one only");
            assertEquals(Map.of(convention, "global"), found(b, Map.of("namespace", "global")));

            // update and delete go by id: B may correct the global memory A wrote
            assertEquals(2, b.callToolOk("memory_update", Map.of("id", convention,
                    "content", "Every project decided on UTF-8 and LF line ends")).get("version").getAsInt());
            assertEquals(Map.of(convention, "global"), found(a, Map.of("q", "LF")));

            assertTrue(a.stderr().contains("Namespace " + PROJECT_A + " (from ENGRAM_NAMESPACE)"), a.stderr());
            assertTrue(b.stderr().contains("Namespace " + PROJECT_B + " (from ENGRAM_NAMESPACE)"), b.stderr());
        }
    }

    @Test
    void aClientWithRootsWorksInItsRootAndFollowsItsChanges() throws Exception {
        String shared;
        try (McpProcess a = McpProcess.start(data, Map.of("ENGRAM_NAMESPACE", PROJECT_A))) {
            a.initialize("2025-11-25");
            shared = add(a, Map.of("content", "Shared rule: run the formatter before committing",
                    "namespace", "global", "layer_hint", "LTM"), "global");
            add(a, Map.of("content", "Rule of project A: commit the formatter config", "layer_hint", "LTM"),
                    PROJECT_A);
        }
        AtomicReference<String> root = new AtomicReference<>("file:///work/project-c/");
        // the variable names another workspace: the client's roots must win over it
        try (McpProcess c = McpProcess.start(data, Map.of("ENGRAM_NAMESPACE", PROJECT_A))) {
            c.onRequest("roots/list", params -> Map.of("roots", List.of(Map.of("uri", root.get(), "name", "c"))));
            c.initialize("2025-11-25", Map.of("roots", Map.of("listChanged", true)));
            c.awaitServerRequest("roots/list", WAIT);
            // the answer went out before this call, and the server reads its input in order

            String inC = add(c, Map.of("content", "Rule of project C: the formatter runs in CI"), path("/work/project-c"));
            assertEquals(Map.of(inC, path("/work/project-c"), shared, "global"), found(c, Map.of("q", "formatter")));

            root.set("file:///work/project-d");
            c.notify("notifications/roots/list_changed", null);
            c.awaitServerRequest("roots/list", WAIT);
            String inD = add(c, Map.of("content", "Rule of project D: no formatter"), path("/work/project-d"));
            assertEquals(Map.of(inD, path("/work/project-d"), shared, "global"), found(c, Map.of("q", "formatter")));
            assertTrue(c.stderr().contains("Namespace " + path("/work/project-d")
                    + " (from the client's root file:///work/project-d)"), c.stderr());
        }
    }

    @Test
    void withoutRootsOrTheVariableTheWorkingDirectoryIsTheWorkspace() throws Exception {
        // the host inherits this JVM's working directory; a blank variable counts as unset
        try (McpProcess host = McpProcess.start(data, Map.of("ENGRAM_NAMESPACE", "  "))) {
            host.initialize("2025-11-25");
            String cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize().toString();
            String id = add(host, Map.of("content", "kept in the working directory's namespace"), cwd);
            assertEquals(Map.of(id, cwd), found(host, Map.of("q", "directory")));
        }
    }
}
