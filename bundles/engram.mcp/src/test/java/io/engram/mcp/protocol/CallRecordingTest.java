package io.engram.mcp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.api.tool.ToolResult;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every answered tools/call reaches the metrics, whichever way it ends. */
class CallRecordingTest {

    private static final String NO_ARGS = "{\"type\":\"object\"}";

    private final SessionHarness harness = new SessionHarness(
            new SessionSettings(100, Duration.ofSeconds(10), Duration.ZERO, Duration.ofSeconds(2), "1"),
            TestTool.text("test_ok", NO_ARGS, (args, ctx) -> {
                Thread.sleep(20);
                return ToolResult.text("fine");
            }),
            TestTool.text("test_refuse", NO_ARGS, (args, ctx) -> ToolResult.error("no")),
            TestTool.text("test_throw", NO_ARGS, (args, ctx) -> {
                throw new IllegalStateException("boom");
            }));

    @AfterEach
    void close() {
        harness.close();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> tool(String name) {
        return ((Map<String, Map<String, Object>>) harness.metrics.status().get("tools")).get(name);
    }

    @Test
    void successesErrorResultsAndProtocolErrorsAreCounted() {
        harness.initialize("2025-06-18");
        harness.call("1", "test_ok", "{}");
        harness.call("2", "test_ok", "{}");
        harness.call("3", "test_refuse", "{}");
        harness.call("4", "test_throw", "{}");
        harness.error("5", "tools/call", "{\"name\":\"no_such_tool\"}");
        harness.error("6", "tools/call", "{\"name\":\"test_ok\",\"arguments\":[1]}");

        Map<String, Object> status = harness.metrics.status();
        assertEquals(6L, status.get("count"));
        assertEquals(4L, status.get("errors"));
        assertEquals(Map.of("count", 2L, "errors", 0L), Map.of("count", tool("test_ok").get("count"),
                "errors", tool("test_ok").get("errors")));
        assertTrue((double) tool("test_ok").get("p50Ms") >= 20.0, "latency includes the tool's run: " + status);
        assertEquals(1L, tool("test_refuse").get("errors"));
        assertEquals(1L, tool("test_throw").get("errors"));
        assertEquals(3, ((Map<?, ?>) status.get("tools")).size(), "unknown names are not kept");
    }

    @Test
    void otherMethodsAreNotCounted() {
        harness.initialize("2025-06-18");
        harness.result("1", "ping", null);
        harness.result("2", "tools/list", null);
        harness.error("3", "no/such/method", null);
        assertEquals(0L, harness.metrics.status().get("count"));
    }
}
