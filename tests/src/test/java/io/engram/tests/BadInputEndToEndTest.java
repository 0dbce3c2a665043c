package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gets a specific error, and the session goes on serving. */
class BadInputEndToEndTest {

    @TempDir
    Path data;

    private static JsonObject nextUnmatched(McpProcess engram) throws InterruptedException {
        JsonObject message = engram.unmatched.poll(20, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no response\n" + engram.stderr());
        }
        return message;
    }

    private static int errorCode(JsonObject response) {
        return response.getAsJsonObject("error").get("code").getAsInt();
    }

    private static void assertStillServing(McpProcess engram) throws Exception {
        JsonObject pong = engram.request("ping", null);
        assertTrue(pong.has("result"), "still serving after bad input: " + pong);
    }

    @Test
    void protocolErrorsAreSpecificAndTheSessionGoesOn() throws Exception {
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-06-18");

            engram.sendLine("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":");
            JsonObject parseError = nextUnmatched(engram);
            assertEquals(-32700, errorCode(parseError));
            assertTrue(parseError.get("id").isJsonNull(), parseError.toString());
            assertStillServing(engram);

            engram.sendLine("[1,2,3]");
            assertEquals(-32600, errorCode(nextUnmatched(engram)), "batch not allowed in 2025-06-18");
            engram.sendLine("{\"jsonrpc\":\"2.0\",\"id\":\"x\"}");
            assertEquals(-32600, errorCode(nextUnmatched(engram)), "no method: invalid request");
            assertStillServing(engram);

            JsonObject discover = engram.request("server/discover", Map.of());
            assertEquals(-32601, errorCode(discover));

            JsonObject unknownTool = engram.request("tools/call", Map.of("name", "no_such_tool", "arguments", Map.of()));
            assertEquals(-32602, errorCode(unknownTool));
            assertTrue(unknownTool.getAsJsonObject("error").get("message").getAsString().contains("no_such_tool"));

            JsonObject wrongType = engram.callTool("memory_add", Map.of("content", 42));
            assertTrue(wrongType.get("isError").getAsBoolean(), wrongType.toString());
            assertTrue(wrongType.toString().contains("content"), "names the field: " + wrongType);
            JsonObject missing = engram.callTool("memory_search", Map.of("limit", "ten"));
            assertTrue(missing.get("isError").getAsBoolean());
            assertTrue(missing.toString().contains("limit"), "names the field: " + missing);
            assertStillServing(engram);
        }
    }

    @Test
    void aLineOverTheSizeLimitIsRefusedWithoutTakingTheHostDown() throws Exception {
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-06-18");
            // 17 MiB of a single JSON string: over the 16 MiB default limit.
            byte[] filler = new byte[17 * 1024 * 1024];
            Arrays.fill(filler, (byte) 'a');
            engram.sendRaw(
                    "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"tools/call\",\"params\":{\"name\":\"memory_add\",\"arguments\":{\"content\":\"".getBytes(StandardCharsets.UTF_8),
                    filler,
                    "\"}}}\n".getBytes(StandardCharsets.UTF_8));
            JsonObject tooLarge = nextUnmatched(engram);
            assertEquals(-32600, errorCode(tooLarge), tooLarge.toString());
            assertTrue(tooLarge.toString().contains("too large"), tooLarge.toString());
            assertStillServing(engram);
            JsonObject added = engram.callToolOk("memory_add", Map.of("content", "after the huge line"));
            assertTrue(added.has("id"));
        }
    }

    @Test
    void requestsBeforeInitializeAreAnsweredPerSpec() throws Exception {
        try (McpProcess engram = McpProcess.start(data)) {
            JsonObject pong = engram.request("ping", null);
            assertTrue(pong.has("result"), "ping is allowed before initialize");
            JsonObject early = engram.request("tools/call", Map.of("name", "memory_add",
                    "arguments", Map.of("content", "too early")));
            assertTrue(early.has("error"), "tools/call before initialize is refused: " + early);
            engram.initialize("2025-11-25");
            assertTrue(engram.request("tools/list", Map.of()).has("result"));
        }
    }
}
