package io.engram.mcp.protocol;

import static io.engram.mcp.protocol.SessionHarness.isError;
import static io.engram.mcp.protocol.SessionHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.engram.api.store.StoreUnavailableException;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext.LogLevel;
import io.engram.api.tool.ToolResult;
import io.engram.mcp.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class McpSessionTest {

    private static final String NO_ARGS = "{\"type\":\"object\"}";
    private static final String MESSAGE_SCHEMA =
            "{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}},\"required\":[\"message\"]}";
    private static final String STATS_OUTPUT =
            "{\"type\":\"object\",\"properties\":{\"count\":{\"type\":\"integer\"},\"note\":{\"type\":\"string\"}}}";

    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final CountDownLatch slowEnded = new CountDownLatch(1);
    private final AtomicBoolean slowSawCancel = new AtomicBoolean();
    private final AtomicBoolean slowInterrupted = new AtomicBoolean();
    private SessionHarness harness;

    private SessionHarness start(SessionSettings settings) {
        harness = new SessionHarness(settings,
                TestTool.text("text_echo", MESSAGE_SCHEMA, (args, ctx) -> ToolResult.text(args.string("message"))),
                new TestTool("memory_stats", NO_ARGS, STATS_OUTPUT, ToolAnnotations.readOnly(), (args, ctx) -> {
                    Map<String, Object> stats = new LinkedHashMap<>();
                    stats.put("count", 3L);
                    stats.put("note", null);
                    return ToolResult.structured(stats);
                }),
                TestTool.text("document_refs_for_memory", NO_ARGS, (args, ctx) -> ToolResult.text("refs")),
                TestTool.text("test_wait", NO_ARGS, (args, ctx) -> {
                    slowStarted.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        slowInterrupted.set(true);
                    }
                    slowSawCancel.set(ctx.isCancelled());
                    slowEnded.countDown();
                    return ToolResult.text("finished anyway");
                }),
                TestTool.text("test_progress", NO_ARGS, (args, ctx) -> {
                    for (int step = 1; step <= 3; step++) {
                        ctx.progress(step, 3.0, "step " + step);
                    }
                    ctx.progress(2, 3.0, "going backwards is dropped");
                    return ToolResult.text("done");
                }),
                TestTool.text("test_log", NO_ARGS, (args, ctx) -> {
                    for (LogLevel level : List.of(LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARNING, LogLevel.ERROR)) {
                        ctx.log(level, "at " + level.wireName());
                    }
                    return ToolResult.text("logged");
                }),
                TestTool.text("test_fail", "{\"type\":\"object\",\"properties\":{\"how\":{\"type\":\"string\"}}}",
                        (args, ctx) -> switch (args.optString("how", "")) {
                            case "store" -> throw new StoreUnavailableException("opening", true, null);
                            case "argument" -> throw new InvalidArgumentException("limit", "must be positive");
                            case "error" -> ToolResult.error("nothing found");
                            default -> throw new IllegalStateException("boom");
                        }),
                TestTool.text("typed_args", """
                        {"type":"object","properties":{
                          "count":{"type":"integer","minimum":1},
                          "ratio":{"type":"number"},
                          "layer":{"type":"string","enum":["stm","ltm"]},
                          "ids":{"type":"array","items":{"type":"integer"}},
                          "options":{"type":"object","properties":{"depth":{"type":"integer"}},"required":["depth"]}
                        },"required":["count"]}""", (args, ctx) -> ToolResult.text(Json.write(Json.toTree(args.asMap())))));
        return harness;
    }

    private SessionHarness start() {
        return start(SessionHarness.DEFAULTS);
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"})
    void initializeEchoesASupportedVersion(String version) {
        JsonObject result = start().initialize(version);
        assertEquals(version, result.get("protocolVersion").getAsString());
        JsonObject serverInfo = result.getAsJsonObject("serverInfo");
        assertEquals("engram", serverInfo.get("name").getAsString());
        assertEquals("1.2.3", serverInfo.get("version").getAsString());
        boolean titled = version.compareTo("2025-06-18") >= 0;
        assertEquals(titled, serverInfo.has("title"));
        assertTrue(result.getAsJsonObject("capabilities").getAsJsonObject("tools").get("listChanged").getAsBoolean());
        assertTrue(result.getAsJsonObject("capabilities").has("logging"));
        assertFalse(result.get("instructions").getAsString().isBlank());
    }

    @Test
    void initializeAnswersTheLatestVersionForAnUnsupportedOne() {
        assertEquals("2025-11-25", start().initialize("2099-01-01").get("protocolVersion").getAsString());
    }

    @Test
    void pingIsAnsweredBeforeInitialize() {
        assertEquals(new JsonObject(), start().result("1", "ping", null));
    }

    @Test
    void requestsBeforeInitializeAreRefused() {
        start();
        for (String method : List.of("tools/list", "tools/call", "logging/setLevel")) {
            JsonObject error = harness.error("\"r\"", method, "{}");
            assertEquals(-32600, error.get("code").getAsInt());
            assertEquals("server not initialized: send initialize first", error.get("message").getAsString());
        }
    }

    @Test
    void toolsListIsAnsweredBeforeTheInitializedNotification() {
        start().result("0", "initialize", "{\"protocolVersion\":\"2025-06-18\"}");
        assertEquals(8, harness.result("1", "tools/list", null).getAsJsonArray("tools").size());
    }

    @Test
    void toolsListPagesWithACursor() {
        start(new SessionSettings(3, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(2), "1")).initialize("2025-11-25");
        List<String> names = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonObject page = harness.result(String.valueOf(++pages), "tools/list",
                    cursor == null ? null : "{\"cursor\":\"" + cursor + "\"}");
            assertTrue(page.getAsJsonArray("tools").size() <= 3);
            page.getAsJsonArray("tools").forEach(t -> names.add(t.getAsJsonObject().get("name").getAsString()));
            cursor = page.has("nextCursor") ? page.get("nextCursor").getAsString() : null;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(List.of("document_refs_for_memory", "memory_stats", "test_fail", "test_log", "test_progress",
                "test_wait", "text_echo", "typed_args"), names);

        JsonObject error = harness.error("9", "tools/list", "{\"cursor\":\"not-a-cursor\"}");
        assertEquals(-32602, error.get("code").getAsInt());
    }

    @Test
    void listingShowsWhatEachVersionKnows() {
        JsonObject stats = listed("2024-11-05", "memory_stats");
        assertFalse(stats.has("title"));
        assertFalse(stats.has("outputSchema"));
        assertFalse(stats.has("annotations"));
        assertEquals("object", stats.getAsJsonObject("inputSchema").get("type").getAsString());
        harness.close();

        stats = listed("2025-03-26", "memory_stats");
        assertFalse(stats.has("outputSchema"));
        assertEquals(Json.parse("{\"readOnlyHint\":true,\"destructiveHint\":false,\"idempotentHint\":true,"
                + "\"openWorldHint\":false}"), stats.get("annotations"));
        assertFalse(listed(harness, "text_echo").has("annotations"), "all hints null: no annotations");
        harness.close();

        stats = listed("2025-06-18", "memory_stats");
        assertEquals("Title of memory_stats", stats.get("title").getAsString());
        assertEquals(Json.parse(STATS_OUTPUT), stats.get("outputSchema"));
    }

    private JsonObject listed(String version, String name) {
        start().initialize(version);
        return listed(harness, name);
    }

    private static JsonObject listed(SessionHarness harness, String name) {
        for (JsonElement tool : harness.result("1", "tools/list", null).getAsJsonArray("tools")) {
            if (tool.getAsJsonObject().get("name").getAsString().equals(name)) {
                return tool.getAsJsonObject();
            }
        }
        throw new AssertionError(name + " not listed");
    }

    @Test
    void callReturnsText() {
        start().initialize("2025-06-18");
        JsonObject result = harness.call("1", "text_echo", "{\"message\":\"hello\"}");
        assertEquals("hello", text(result));
        assertFalse(isError(result));
        assertFalse(result.has("structuredContent"));
    }

    @Test
    void structuredContentComesWithItsOutputSchemaFrom20250618() {
        start().initialize("2025-06-18");
        JsonObject result = harness.call("1", "memory_stats", "{}");
        assertEquals(Json.parse("{\"count\":3}"), result.get("structuredContent"));
        assertEquals("{\"count\":3}", text(result));
        harness.close();

        start().initialize("2025-03-26");
        result = harness.call("1", "memory_stats", "{}");
        assertFalse(result.has("structuredContent"));
        assertEquals("{\"count\":3}", text(result));
    }

    @Test
    void argumentsAreCheckedAgainstTheSchema() {
        start().initialize("2025-11-25");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("{}", "invalid argument 'count': required");
        expected.put("{\"count\":\"3\"}", "invalid argument 'count': expected integer, got string");
        expected.put("{\"count\":1.5}", "invalid argument 'count': expected integer, got number");
        expected.put("{\"count\":0}", "invalid argument 'count': must be at least 1, got 0");
        expected.put("{\"count\":1,\"ratio\":true}", "invalid argument 'ratio': expected number, got boolean");
        expected.put("{\"count\":1,\"layer\":\"mid\"}",
                "invalid argument 'layer': must be one of [\"stm\",\"ltm\"], got \"mid\"");
        expected.put("{\"count\":1,\"ids\":[1,\"2\"]}", "invalid argument 'ids[1]': expected integer, got string");
        expected.put("{\"count\":1,\"options\":{}}", "invalid argument 'options.depth': required");
        expected.put("{\"count\":1,\"options\":{\"depth\":[]}}",
                "invalid argument 'options.depth': expected integer, got array");
        int id = 0;
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            JsonObject result = harness.call(String.valueOf(++id), "typed_args", entry.getValue() == null ? "" : entry.getKey());
            assertTrue(isError(result), entry.getKey());
            assertEquals(entry.getValue(), text(result), entry.getKey());
        }
        JsonObject valid = harness.call("99", "typed_args",
                "{\"count\":2,\"ratio\":0.5,\"layer\":\"ltm\",\"ids\":[1,2],\"options\":{\"depth\":1},\"extra\":null}");
        assertFalse(isError(valid));
        assertEquals("{\"count\":2,\"ratio\":0.5,\"layer\":\"ltm\",\"ids\":[1,2],\"options\":{\"depth\":1}}",
                text(valid), "integral numbers arrive as Long, others as Double");
    }

    @Test
    void toolFailuresAreErrorResults() {
        start().initialize("2025-11-25");
        assertEquals("tool test_fail failed: boom", text(harness.call("1", "test_fail", "{}")));
        assertEquals("storage unavailable: opening; retrying", text(harness.call("2", "test_fail", "{\"how\":\"store\"}")));
        assertEquals("invalid argument 'limit': must be positive",
                text(harness.call("3", "test_fail", "{\"how\":\"argument\"}")));
        JsonObject declined = harness.call("4", "test_fail", "{\"how\":\"error\"}");
        assertTrue(isError(declined));
        assertEquals("nothing found", text(declined));
        assertEquals("pong", harness.call("5", "text_echo", "{\"message\":\"pong\"}").getAsJsonArray("content")
                .get(0).getAsJsonObject().get("text").getAsString());
    }

    @Test
    void unknownToolsAndBadParamsAreInvalidParams() {
        start().initialize("2025-11-25");
        JsonObject unknown = harness.error("1", "tools/call", "{\"name\":\"nope\",\"arguments\":{}}");
        assertEquals(-32602, unknown.get("code").getAsInt());
        assertEquals("unknown tool: nope", unknown.get("message").getAsString());
        assertEquals(-32602, harness.error("2", "tools/call", "{\"arguments\":{}}").get("code").getAsInt());
        assertEquals(-32602, harness.error("3", "tools/call", "{\"name\":\"text_echo\",\"arguments\":[1]}")
                .get("code").getAsInt());
        assertEquals(-32602, harness.error("4", "tools/call", "[]").get("code").getAsInt());
    }

    @Test
    void dottedAliasIsCalledButNotListed() {
        start().initialize("2025-11-25");
        assertEquals("refs", text(harness.call("1", "document.refs_for_memory", "{}")));
        assertEquals("hello", text(harness.call("2", "text.echo", "{\"message\":\"hello\"}")));
        for (JsonElement tool : harness.result("3", "tools/list", null).getAsJsonArray("tools")) {
            assertFalse(tool.getAsJsonObject().get("name").getAsString().contains("."));
        }
    }

    @Test
    void unknownMethodsAreMethodNotFoundEvenBeforeInitialize() {
        start();
        assertEquals(-32601, harness.error("1", "server/discover", "{}").get("code").getAsInt());
        harness.initialize("2025-11-25");
        assertEquals(-32601, harness.error("2", "resources/list", null).get("code").getAsInt());
    }

    @Test
    void badInputIsAnsweredAndTheSessionGoesOn() {
        start().initialize("2025-11-25");
        List<String> lines = List.of("{not json", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"} trailing", "'x'");
        for (String line : lines) {
            harness.send(line);
            JsonObject response = harness.next().getAsJsonObject();
            assertEquals(-32700, response.getAsJsonObject("error").get("code").getAsInt(), line);
            assertEquals(JsonNull.INSTANCE, response.get("id"), line);
        }
        harness.send("{\"jsonrpc\":");
        assertEquals("parse error: invalid JSON: unexpected end of input",
                harness.next().getAsJsonObject().getAsJsonObject("error").get("message").getAsString());
        Map<String, JsonElement> invalid = new LinkedHashMap<>();
        invalid.put("42", JsonNull.INSTANCE);
        invalid.put("{\"id\":1,\"method\":\"ping\"}", Json.parse("1"));
        invalid.put("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"ping\"}", JsonNull.INSTANCE);
        invalid.put("{\"jsonrpc\":\"2.0\",\"id\":\"x\"}", Json.parse("\"x\""));
        invalid.put("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":5}", Json.parse("7"));
        for (Map.Entry<String, JsonElement> entry : invalid.entrySet()) {
            harness.send(entry.getKey());
            JsonObject response = harness.next().getAsJsonObject();
            assertEquals(-32600, response.getAsJsonObject("error").get("code").getAsInt(), entry.getKey());
            assertEquals(entry.getValue(), response.get("id"), entry.getKey());
        }
        assertEquals(new JsonObject(), harness.result("2", "ping", null));
    }

    @Test
    void idsAreEchoedExactly() {
        start().initialize("2025-11-25");
        harness.send("{\"jsonrpc\":\"2.0\",\"id\":12345678901234567890,\"method\":\"ping\"}");
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":12345678901234567890,\"result\":{}}", Json.write(harness.next()));
        harness.send("{\"jsonrpc\":\"2.0\",\"id\":\"a\\\"b\",\"method\":\"ping\"}");
        assertEquals("a\"b", harness.next().getAsJsonObject().get("id").getAsString());
    }

    @Test
    void batchesAreServedUnder20250326() {
        start().initialize("2025-03-26");
        harness.send("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":\"two\",\"method\":\"tools/call\",\"params\":{\"name\":\"text_echo\","
                + "\"arguments\":{\"message\":\"in a batch\"}}},"
                + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"nope\"}]");
        JsonArray responses = harness.next().getAsJsonArray();
        assertEquals(3, responses.size());
        Map<String, JsonObject> byId = new LinkedHashMap<>();
        responses.forEach(r -> byId.put(r.getAsJsonObject().get("id").getAsString(), r.getAsJsonObject()));
        assertEquals(new JsonObject(), byId.get("1").get("result"));
        assertEquals("in a batch", text(byId.get("two").getAsJsonObject("result")));
        assertEquals(-32601, byId.get("3").getAsJsonObject("error").get("code").getAsInt());

        harness.send("[{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}]");
        harness.send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}");
        assertEquals(4, harness.next().getAsJsonObject().get("id").getAsInt(), "notifications only: no answer");
    }

    @Test
    void batchesAreRefusedUnder20250618() {
        start().initialize("2025-06-18");
        harness.send("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]");
        JsonObject response = harness.next().getAsJsonObject();
        assertEquals(JsonNull.INSTANCE, response.get("id"));
        assertEquals(-32600, response.getAsJsonObject("error").get("code").getAsInt());
        assertEquals("batches are not supported in protocol version 2025-06-18",
                response.getAsJsonObject("error").get("message").getAsString());
    }

    @Test
    void cancellationStopsTheCallAndSuppressesItsAnswer() throws Exception {
        start().initialize("2025-11-25");
        harness.send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"test_wait\"}}");
        assertTrue(slowStarted.await(5, TimeUnit.SECONDS));
        assertEquals(1, harness.session.callsInFlight());
        assertEquals(1, harness.registry.callsInFlight("test_wait"));
        harness.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":5,"
                + "\"reason\":\"user pressed stop\"}}");
        assertTrue(slowEnded.await(5, TimeUnit.SECONDS));
        harness.assertNothingSent(200);
        assertTrue(slowInterrupted.get());
        assertTrue(slowSawCancel.get());
        assertEquals(0, harness.session.callsInFlight());
        assertEquals(0, harness.registry.callsInFlight("test_wait"));
        assertEquals(new JsonObject(), harness.result("6", "ping", null));
    }

    @Test
    void progressIsReportedWhenAskedFor() {
        start().initialize("2025-11-25");
        harness.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"test_progress\","
                + "\"_meta\":{\"progressToken\":\"tok\"}}}");
        for (int step = 1; step <= 3; step++) {
            JsonObject notification = harness.next().getAsJsonObject();
            assertEquals("notifications/progress", notification.get("method").getAsString());
            JsonObject params = notification.getAsJsonObject("params");
            assertEquals("tok", params.get("progressToken").getAsString());
            assertEquals(step, params.get("progress").getAsDouble());
            assertEquals(3, params.get("total").getAsDouble());
            assertEquals("step " + step, params.get("message").getAsString());
        }
        assertEquals("done", text(harness.next().getAsJsonObject().getAsJsonObject("result")));

        assertEquals("done", text(harness.call("2", "test_progress", "{}")), "no token: no progress notifications");
    }

    @Test
    void logMessagesFollowTheClientsLevel() {
        start().initialize("2025-11-25");
        harness.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"test_log\"}}");
        assertEquals(List.of("warning", "error"), loggedLevels());

        assertEquals(new JsonObject(), harness.result("2", "logging/setLevel", "{\"level\":\"debug\"}"));
        harness.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"test_log\"}}");
        assertEquals(List.of("debug", "info", "warning", "error"), loggedLevels());

        assertEquals(-32602, harness.error("4", "logging/setLevel", "{\"level\":\"loud\"}").get("code").getAsInt());
    }

    private List<String> loggedLevels() {
        List<String> levels = new ArrayList<>();
        while (true) {
            JsonObject message = harness.next().getAsJsonObject();
            if (message.has("result")) {
                return levels;
            }
            assertEquals("notifications/message", message.get("method").getAsString());
            JsonObject params = message.getAsJsonObject("params");
            assertEquals("test_log", params.get("logger").getAsString());
            assertEquals("at " + params.get("level").getAsString(), params.get("data").getAsString());
            levels.add(params.get("level").getAsString());
        }
    }

    @Test
    void aCallOverItsTimeIsCancelledAndAnsweredAsTimedOut() throws Exception {
        start(new SessionSettings(100, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(2), "1")).initialize("2025-11-25");
        long start = System.nanoTime();
        JsonObject result = harness.call("1", "test_wait", "{}");
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5000);
        assertTrue(isError(result));
        assertEquals("tool test_wait timed out after 200 ms", text(result));
        assertTrue(slowEnded.await(5, TimeUnit.SECONDS));
        assertTrue(slowInterrupted.get());
        assertTrue(slowSawCancel.get());
    }

    @Test
    void toolListChangesAreAnnouncedToInitializedSessionsThatHaveListed() throws Exception {
        start().result("0", "initialize", "{\"protocolVersion\":\"2025-11-25\"}");
        harness.add(TestTool.text("early_tool", NO_ARGS, (args, ctx) -> ToolResult.text("x")));
        harness.assertNothingSent(300);

        harness.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        harness.add(TestTool.text("unlisted_tool", NO_ARGS, (args, ctx) -> ToolResult.text("x")));
        harness.assertNothingSent(300); // nothing listed yet, so nothing is stale: its first tools/list is current

        assertTrue(harness.result("\"l1\"", "tools/list", "{}").toString().contains("unlisted_tool"));
        harness.add(TestTool.text("late_tool", NO_ARGS, (args, ctx) -> ToolResult.text("x")));
        assertEquals("notifications/tools/list_changed", harness.next().getAsJsonObject().get("method").getAsString());
    }

    @Test
    void changesTheClientAlreadySawInItsListAreNotAnnouncedAgain() throws Exception {
        start().initialize("2025-11-25");
        harness.add(TestTool.text("seen_tool", NO_ARGS, (args, ctx) -> ToolResult.text("x")));
        harness.result("\"l1\"", "tools/list", "{}"); // lists seen_tool before the debounced notice fires
        harness.assertNothingSent(300);

        harness.add(TestTool.text("new_tool", NO_ARGS, (args, ctx) -> ToolResult.text("x")));
        assertEquals("notifications/tools/list_changed", harness.next().getAsJsonObject().get("method").getAsString());
    }

    @Test
    void twoThousandConcurrentCallsAreAllAnsweredByTheirIds() throws Exception {
        start().initialize("2025-11-25");
        int calls = 2000;
        Set<JsonElement> expected = new HashSet<>();
        for (int i = 0; i < calls; i++) {
            String id = i % 2 == 0 ? String.valueOf(i) : "\"call-" + i + "\"";
            expected.add(Json.parse(id));
            harness.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"text_echo\",\"arguments\":{\"message\":" + Json.write(Json.toTree(id)) + "}}}");
        }
        Set<JsonElement> answered = new HashSet<>();
        for (int i = 0; i < calls; i++) {
            JsonObject response = harness.next().getAsJsonObject();
            JsonElement id = response.get("id");
            assertEquals(Json.write(id), text(response.getAsJsonObject("result")), "answer matches its request");
            assertTrue(answered.add(id), "one answer per id");
        }
        assertEquals(expected, answered);
        assertNull(harness.sent.poll(100, TimeUnit.MILLISECONDS));
    }
}
