package io.engram.mcp.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.engram.mcp.json.Json;
import io.engram.mcp.metrics.CallMetrics;
import io.engram.mcp.protocol.McpSession;
import io.engram.mcp.protocol.SessionNamespace;
import io.engram.mcp.protocol.SessionSettings;
import io.engram.mcp.registry.ToolRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The stdio pieces the transport wires together, driven with bytes as an IDE would send them. */
class StdioPipelineTest {

    @Test
    void bytesInBecomeWholeLinesOut() throws IOException {
        String input = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\r\n"
                + "x".repeat(5000) + "\n"
                + "{broken\n"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ToolRegistry registry = new ToolRegistry(List::of);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        McpSession session = new McpSession(registry, new CallMetrics(), new LineWriter(out), workers,
                new SessionSettings(100, Duration.ofSeconds(10), Duration.ZERO, Duration.ofSeconds(2), "1"),
                new SessionNamespace("/work/pipeline", "the test"));
        try {
            new LineReader(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), 4096)
                    .readAll(new LineReader.Handler() {
                        @Override
                        public void onLine(String line) {
                            session.handleLine(line);
                        }

                        @Override
                        public void onOversized(long limitBytes) {
                            session.rejectOversizedMessage(limitBytes);
                        }
                    });
        } finally {
            session.close();
            workers.shutdownNow();
            registry.close();
        }
        String written = out.toString(StandardCharsets.UTF_8);
        assertTrue(written.endsWith("\n"));
        List<JsonObject> messages = new ArrayList<>();
        for (String line : written.split("\n")) {
            messages.add(Json.parse(line).getAsJsonObject());
        }
        assertEquals(4, messages.size(), written);
        assertEquals(1, messages.get(0).get("id").getAsInt());
        assertEquals("message too large: over 4096 bytes",
                messages.get(1).getAsJsonObject("error").get("message").getAsString());
        assertEquals(-32700, messages.get(2).getAsJsonObject("error").get("code").getAsInt());
        assertEquals("2025-06-18", messages.get(3).getAsJsonObject("result").get("protocolVersion").getAsString());
    }

    @Test
    void concurrentMessagesNeverInterleave() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineWriter writer = new LineWriter(out);
        ExecutorService senders = Executors.newFixedThreadPool(16);
        String payload = "y".repeat(3000);
        for (int t = 0; t < 16; t++) {
            int thread = t;
            senders.execute(() -> {
                for (int i = 0; i < 200; i++) {
                    writer.send("{\"thread\":" + thread + ",\"i\":" + i + ",\"p\":\"" + payload + "\"}");
                }
            });
        }
        senders.shutdown();
        assertTrue(senders.awaitTermination(30, TimeUnit.SECONDS));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(16 * 200, lines.length);
        for (String line : lines) {
            assertEquals(payload, Json.parse(line).getAsJsonObject().get("p").getAsString());
        }
    }
}
