package io.engram.mcp.protocol;

import static io.engram.mcp.protocol.SessionHarness.isError;
import static io.engram.mcp.protocol.SessionHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.engram.api.tool.ToolResult;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A tool removed while calls run on it: they drain, or are cancelled and answered as unloaded. */
class ToolUnloadTest {

    private static final String NO_ARGS = "{\"type\":\"object\"}";
    private static final long DRAIN_MS = 500;
    /** The harness numbers the services of its tools from 1. */
    private static final long TOOL_SERVICE_ID = 1;
    private static final long MARGIN_MS = 1000;

    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final AtomicBoolean sawCancel = new AtomicBoolean();
    private SessionHarness harness;

    /** A session whose only tool, {@code test_leaving}, sleeps {@code sleepMs} and then answers "done". */
    private void start(long sleepMs) {
        harness = new SessionHarness(new SessionSettings(100, Duration.ofSeconds(60), Duration.ZERO,
                Duration.ofMillis(DRAIN_MS), "1"), TestTool.text("test_leaving", NO_ARGS, (args, ctx) -> {
            started.countDown();
            try {
                Thread.sleep(sleepMs);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            sawCancel.set(ctx.isCancelled());
            ended.countDown();
            return ToolResult.text("done");
        }));
        harness.initialize("2025-11-25");
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aCallFinishingWithinTheDrainIsAnsweredNormally() throws Exception {
        start(100);
        harness.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"test_leaving\"}}");
        assertTrue(started.await(5, TimeUnit.SECONDS));

        long removeMs = timeRemoval();
        assertTrue(ended.await(0, TimeUnit.SECONDS), "removal returned only after the call ended");
        assertTrue(removeMs < DRAIN_MS, "removal waited for the call, not the whole drain: " + removeMs + " ms");
        JsonObject result = responseTo(1);
        assertFalse(isError(result));
        assertEquals("done", text(result));
        assertFalse(interrupted.get());
        assertFalse(sawCancel.get());
    }

    @Test
    void aCallOutlastingTheDrainIsCancelledAndAnsweredAsUnloaded() throws Exception {
        start(60_000);
        harness.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"test_leaving\"}}");
        assertTrue(started.await(5, TimeUnit.SECONDS));

        long removeMs = timeRemoval();
        assertTrue(removeMs >= DRAIN_MS - 10 && removeMs < DRAIN_MS + MARGIN_MS,
                "removal waited the drain and no longer: " + removeMs + " ms");
        JsonObject result = responseTo(1);
        assertTrue(isError(result));
        assertEquals("tool test_leaving was unloaded", text(result));
        assertTrue(ended.await(5, TimeUnit.SECONDS));
        assertTrue(interrupted.get());
        assertTrue(sawCancel.get());
        assertEquals(0, harness.session.callsInFlight());
        assertNoResponseWithin(300); // the tool's late "done" is dropped
    }

    @Test
    void aCallAfterRemovalIsAnUnknownTool() {
        start(0);
        assertEquals("done", text(harness.call("1", "test_leaving", "{}")));
        long removeMs = timeRemoval();
        assertTrue(removeMs < DRAIN_MS, "nothing to drain, nothing to wait for: " + removeMs + " ms");

        JsonObject error = harness.error("2", "tools/call", "{\"name\":\"test_leaving\",\"arguments\":{}}");
        assertEquals(-32602, error.get("code").getAsInt());
        assertEquals("unknown tool: test_leaving", error.get("message").getAsString());
    }

    private long timeRemoval() {
        long start = System.nanoTime();
        harness.registry.remove(TOOL_SERVICE_ID);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** The result answering request {@code id}, skipping the list_changed notice the removal causes. */
    private JsonObject responseTo(int id) {
        while (true) {
            JsonObject message = harness.next().getAsJsonObject();
            if (message.has("id")) {
                assertEquals(id, message.get("id").getAsInt(), () -> "answer to another request: " + message);
                return message.getAsJsonObject("result");
            }
            assertEquals("notifications/tools/list_changed", message.get("method").getAsString());
        }
    }

    private void assertNoResponseWithin(long waitMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        String message;
        while ((message = harness.sent.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
            assertTrue(message.contains("notifications/tools/list_changed"), "unexpected message: " + message);
        }
    }
}
