package io.engram.mcp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.engram.api.tool.Tool;
import io.engram.mcp.json.Json;
import io.engram.mcp.metrics.CallMetrics;
import io.engram.mcp.registry.ToolOrigin;
import io.engram.mcp.registry.ToolRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A session over a real registry of test tools, with a sink that captures every message. */
final class SessionHarness implements AutoCloseable {

    static final SessionSettings DEFAULTS =
            new SessionSettings(100, Duration.ofSeconds(120), Duration.ofSeconds(5), Duration.ofSeconds(2), "1.2.3");

    /** The namespace the session has when the client gives no roots. */
    static final SessionNamespace FALLBACK = new SessionNamespace("/work/fallback", "the test's fallback");

    final ToolRegistry registry = new ToolRegistry(List::of);
    final CallMetrics metrics = new CallMetrics();
    final BlockingQueue<String> sent = new LinkedBlockingQueue<>();
    final ExecutorService workers = Executors.newFixedThreadPool(16);
    final McpSession session;
    private final AtomicLong serviceIds = new AtomicLong();

    SessionHarness(SessionSettings settings, Tool... tools) {
        Semaphore notices = new Semaphore(0);
        Runnable listener = notices::release;
        registry.addChangeListener(listener);
        for (Tool tool : tools) {
            add(tool);
        }
        if (tools.length > 0) {
            awaitQuiet(notices);
        }
        registry.removeChangeListener(listener);
        // the registry's notices of the tools above are over: the session hears only of later changes
        session = new McpSession(registry, metrics, sent::add, workers, settings, FALLBACK);
    }

    SessionHarness(Tool... tools) {
        this(DEFAULTS, tools);
    }

    private static void awaitQuiet(Semaphore notices) {
        try {
            if (notices.tryAcquire(2, TimeUnit.SECONDS)) {
                while (notices.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    // a slow burst can end in more than one notice
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void add(Tool tool) {
        registry.add(tool, new ToolOrigin(serviceIds.incrementAndGet(), 0, "test.bundle"));
    }

    void send(String json) {
        session.handleLine(json);
    }

    /** Sends a request and returns its answer. */
    JsonObject request(String id, String method, String params) {
        send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\""
                + (params == null ? "" : ",\"params\":" + params) + "}");
        JsonObject response = next().getAsJsonObject();
        assertEquals(Json.parse(id), response.get("id"), "answer to another request: " + response);
        return response;
    }

    JsonObject result(String id, String method, String params) {
        JsonObject response = request(id, method, params);
        assertNull(response.get("error"), () -> "unexpected error: " + response);
        return response.getAsJsonObject("result");
    }

    JsonObject error(String id, String method, String params) {
        JsonObject response = request(id, method, params);
        assertNotNull(response.get("error"), () -> "expected an error: " + response);
        return response.getAsJsonObject("error");
    }

    /** The initialize result, after the full handshake. */
    JsonObject initialize(String version) {
        return initialize(version, "{}");
    }

    /** The initialize result, after the full handshake of a client with these capabilities (JSON). */
    JsonObject initialize(String version, String capabilities) {
        JsonObject result = result("0", "initialize", "{\"protocolVersion\":\"" + version
                + "\",\"capabilities\":" + capabilities + ",\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}");
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        return result;
    }

    JsonObject call(String id, String tool, String arguments) {
        return result(id, "tools/call", "{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}");
    }

    JsonElement next() {
        try {
            String message = sent.poll(10, TimeUnit.SECONDS);
            assertNotNull(message, "no message within 10 s");
            return Json.parse(message);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    void assertNothingSent(long waitMs) throws InterruptedException {
        String message = sent.poll(waitMs, TimeUnit.MILLISECONDS);
        assertNull(message, "unexpected message");
    }

    static String text(JsonObject result) {
        return result.getAsJsonArray("content").get(0).getAsJsonObject().get("text").getAsString();
    }

    static boolean isError(JsonObject result) {
        return result.get("isError").getAsBoolean();
    }

    @Override
    public void close() {
        session.close();
        workers.shutdownNow();
        registry.close();
    }
}
