package io.engram.mcp.protocol;

import static io.engram.mcp.protocol.SessionHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.engram.api.tool.ToolResult;
import io.engram.mcp.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The session's namespace: the client's roots when it has them, the host's fallback otherwise. */
class WorkspaceRootsTest {

    private static final String NO_ARGS = "{\"type\":\"object\"}";
    private static final String WITH_ROOTS = "{\"roots\":{\"listChanged\":true}}";
    private static final String FALLBACK = SessionHarness.FALLBACK.name();

    private final CountDownLatch release = new CountDownLatch(1);
    private final Logger sessionLog = Logger.getLogger(McpSession.class.getName());
    private final BlockingQueue<String> logged = new LinkedBlockingQueue<>();
    private final Handler logCapture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private SessionHarness harness;
    private int nextId;

    @BeforeEach
    void captureLog() {
        sessionLog.addHandler(logCapture);
    }

    @AfterEach
    void close() {
        sessionLog.removeHandler(logCapture);
        release.countDown();
        harness.close();
    }

    private SessionHarness start(SessionSettings settings) {
        harness = new SessionHarness(settings,
                TestTool.text("test_namespace", NO_ARGS, (args, ctx) -> ToolResult.text(ctx.namespace())),
                TestTool.text("test_namespace_later", NO_ARGS, (args, ctx) -> {
                    release.await();
                    return ToolResult.text(ctx.namespace());
                }));
        return harness;
    }

    private SessionHarness start() {
        return start(SessionHarness.DEFAULTS);
    }

    private String namespace() {
        return text(harness.call("\"ns-" + ++nextId + "\"", "test_namespace", "{}"));
    }

    /** The next message must be the server's roots/list request; returns its id. */
    private JsonElement rootsRequest() {
        JsonObject request = harness.next().getAsJsonObject();
        assertEquals("roots/list", request.get("method").getAsString(), () -> "expected roots/list: " + request);
        assertEquals("2.0", request.get("jsonrpc").getAsString());
        JsonElement id = request.get("id");
        assertNotNull(id, "roots/list is a request: it has an id");
        return id;
    }

    private void answer(JsonElement id, String result) {
        harness.send("{\"jsonrpc\":\"2.0\",\"id\":" + Json.write(id) + ",\"result\":" + result + "}");
    }

    private static String roots(String... uris) {
        StringBuilder roots = new StringBuilder("{\"roots\":[");
        for (int i = 0; i < uris.length; i++) {
            roots.append(i == 0 ? "" : ",").append("{\"uri\":\"").append(uris[i]).append("\",\"name\":\"r").append(i)
                    .append("\"}");
        }
        return roots.append("]}").toString();
    }

    private static String path(String absolute) {
        return Path.of(absolute).toAbsolutePath().normalize().toString();
    }

    private void awaitLogged(String part) throws InterruptedException {
        while (true) {
            String message = logged.poll(10, TimeUnit.SECONDS);
            assertNotNull(message, "nothing logged containing: " + part);
            if (message.contains(part)) {
                return;
            }
        }
    }

    @Test
    void aClientWithoutRootsIsNotAskedAndGetsTheFallback() throws InterruptedException {
        start().initialize("2025-11-25");
        harness.assertNothingSent(300);
        assertEquals(FALLBACK, namespace());
    }

    @Test
    void rootsAreAskedForOnlyAfterTheClientInitialized() throws InterruptedException {
        start().result("0", "initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":" + WITH_ROOTS + "}");
        harness.assertNothingSent(300);
        harness.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        JsonElement id = rootsRequest();
        answer(id, roots("file:///work/project-a"));
        assertEquals(path("/work/project-a"), namespace());

        harness.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        harness.assertNothingSent(300); // a repeated initialized notification is not a reason to ask again
    }

    @Test
    void theFirstRootNamesTheNamespaceAsANormalizedPath() {
        start().initialize("2025-11-25", WITH_ROOTS);
        JsonElement id = rootsRequest();
        assertEquals(FALLBACK, namespace(), "a call before the answer does not wait for it");
        answer(id, roots("file:///work/project-a/src/../", "file:///work/other"));
        assertEquals(path("/work/project-a"), namespace());
    }

    @Test
    void aRootThatIsNotAFileIsUsedAsItIs() {
        start().initialize("2025-11-25", WITH_ROOTS);
        answer(rootsRequest(), roots("https://example.com/repos/engram"));
        assertEquals("https://example.com/repos/engram", namespace());
    }

    @Test
    void listChangedAsksAgainAndTheNewRootWins() {
        start().initialize("2025-11-25", WITH_ROOTS);
        answer(rootsRequest(), roots("file:///work/project-a"));
        assertEquals(path("/work/project-a"), namespace());

        harness.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/roots/list_changed\"}");
        answer(rootsRequest(), roots("file:///work/project-b"));
        assertEquals(path("/work/project-b"), namespace());

        harness.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/roots/list_changed\"}");
        answer(rootsRequest(), roots());
        assertEquals(FALLBACK, namespace(), "a client with no roots left gets the fallback");
    }

    @Test
    void onlyTheAnswerToTheLatestRequestCounts() {
        start().initialize("2025-11-25", WITH_ROOTS);
        JsonElement first = rootsRequest();
        harness.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/roots/list_changed\"}");
        JsonElement second = rootsRequest();
        assertFalse(first.equals(second), "each request has its own id");
        answer(second, roots("file:///work/newer"));
        answer(first, roots("file:///work/older"));
        assertEquals(path("/work/newer"), namespace());
    }

    @Test
    void aCallKeepsTheNamespaceItStartedWith() {
        start().initialize("2025-11-25", WITH_ROOTS);
        JsonElement id = rootsRequest();
        harness.send("{\"jsonrpc\":\"2.0\",\"id\":\"later\",\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"test_namespace_later\",\"arguments\":{}}}");
        answer(id, roots("file:///work/project-a"));
        release.countDown();
        JsonObject response = harness.next().getAsJsonObject();
        assertEquals("later", response.get("id").getAsString());
        assertEquals(FALLBACK, text(response.getAsJsonObject("result")));
        assertEquals(path("/work/project-a"), namespace());
    }

    @Test
    void anErrorAnswerLeavesTheNamespaceAsItWas() throws InterruptedException {
        start().initialize("2025-11-25", WITH_ROOTS);
        JsonElement id = rootsRequest();
        harness.send("{\"jsonrpc\":\"2.0\",\"id\":" + Json.write(id)
                + ",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}");
        awaitLogged("Method not found");
        harness.assertNothingSent(200); // a response is never answered
        assertEquals(FALLBACK, namespace());
    }

    @Test
    void malformedAnswersAreLoggedAndIgnored() throws InterruptedException {
        start().initialize("2025-11-25", WITH_ROOTS);
        answer(rootsRequest(), roots("file:///work/project-a"));
        String before = path("/work/project-a");
        for (String garbage : new String[] {"\"roots\"", "{}", "{\"roots\":{}}", "{\"roots\":[{\"name\":\"x\"}]}",
                "{\"roots\":[{\"uri\":5}]}", "{\"roots\":[\"file:///x\"]}", "null"}) {
            harness.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/roots/list_changed\"}");
            answer(rootsRequest(), garbage);
            awaitLogged("malformed answer to roots/list");
            assertEquals(before, namespace(), () -> "after " + garbage);
        }
        // a response to nothing the server asked, and one without an id
        harness.send("{\"jsonrpc\":\"2.0\",\"id\":\"engram-999\",\"result\":" + roots("file:///work/stray") + "}");
        awaitLogged("no pending request");
        harness.send("{\"jsonrpc\":\"2.0\",\"result\":{}}");
        awaitLogged("no pending request");
        harness.assertNothingSent(200);
        assertEquals(before, namespace());
    }

    @Test
    void aRootsRequestLeftUnansweredTimesOutAndALateAnswerIsIgnored() throws InterruptedException {
        start(new SessionSettings(100, Duration.ofSeconds(120), Duration.ofSeconds(5), Duration.ofSeconds(2), "1",
                Duration.ofMillis(100))).initialize("2025-11-25", WITH_ROOTS);
        JsonElement id = rootsRequest();
        awaitLogged("no answer to roots/list within 100 ms");
        answer(id, roots("file:///work/too-late"));
        awaitLogged("no pending request");
        assertEquals(FALLBACK, namespace());
    }

    @Test
    void listChangedFromAClientWithoutRootsIsIgnored() throws InterruptedException {
        start().initialize("2025-11-25");
        harness.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/roots/list_changed\"}");
        harness.assertNothingSent(300);
        assertEquals(FALLBACK, namespace());
    }

    @Test
    void changesOfTheNamespaceAreLoggedWithTheirReason() throws InterruptedException {
        start().initialize("2025-11-25", WITH_ROOTS);
        answer(rootsRequest(), roots("file:///work/project-a"));
        String message = null;
        while (message == null || !message.contains("Namespace " + path("/work/project-a"))) {
            message = logged.poll(10, TimeUnit.SECONDS);
            assertNotNull(message, "the new namespace was not logged");
        }
        assertTrue(message.startsWith(Level.INFO.toString()), message);
        assertTrue(message.contains("the client's root file:///work/project-a"), message);
    }
}
