package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What an IDE does first: spawn, initialize with its protocol version, list tools, close stdin. */
class HandshakeEndToEndTest {

    static final Set<String> MEMORY_TOOLS = Set.of("memory_add", "memory_search", "memory_update", "memory_delete");
    static final Set<String> SYSTEM_TOOLS = Set.of("system_status", "system_backup", "system_restore", "system_cleanup");

    @TempDir
    Path data;

    @ParameterizedTest
    @ValueSource(strings = {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"})
    void negotiatesEachSupportedVersionAndListsTheMemoryTools(String version) throws Exception {
        try (McpProcess engram = McpProcess.start(data)) {
            JsonObject init = engram.initialize(version);
            assertEquals(version, init.get("protocolVersion").getAsString());
            assertEquals("engram", init.getAsJsonObject("serverInfo").get("name").getAsString());
            assertTrue(init.getAsJsonObject("capabilities").getAsJsonObject("tools").get("listChanged").getAsBoolean());

            JsonArray tools = engram.result("tools/list", Map.of()).getAsJsonArray("tools");
            Set<String> names = new HashSet<>();
            for (JsonElement element : tools) {
                JsonObject tool = element.getAsJsonObject();
                String name = tool.get("name").getAsString();
                names.add(name);
                assertTrue(name.matches("[a-zA-Z0-9_-]{1,64}"), "tool name usable by model APIs: " + name);
                assertEquals("object", tool.getAsJsonObject("inputSchema").get("type").getAsString());
                boolean modern = version.compareTo("2025-06-18") >= 0;
                if (MEMORY_TOOLS.contains(name)) {
                    assertEquals(modern, tool.has("outputSchema"), "outputSchema only from 2025-06-18: " + name);
                }
            }
            assertTrue(names.containsAll(MEMORY_TOOLS), "memory tools listed: " + names);
            assertTrue(names.containsAll(SYSTEM_TOOLS), "the first listing already has every family: " + names);
            assertFalse(names.stream().anyMatch(n -> n.contains(".")), "dotted aliases are not listed: " + names);

            long closed = System.nanoTime();
            assertEquals(0, engram.closeStdinAndWait(Duration.ofSeconds(5)), engram.stderr());
            long exitMs = (System.nanoTime() - closed) / 1_000_000;
            assertTrue(exitMs < 2000, "exit within 2 s of stdin closing, took " + exitMs + " ms");
            assertEquals(java.util.List.of(), engram.nonProtocolLines, "stdout carries protocol only");
        }
    }

    @Test
    void answersAnUnsupportedVersionWithTheLatest() throws Exception {
        try (McpProcess engram = McpProcess.start(data)) {
            JsonObject init = engram.result("initialize", Map.of(
                    "protocolVersion", "1999-01-01", "capabilities", Map.of(),
                    "clientInfo", Map.of("name", "old", "version", "0")));
            assertEquals("2025-11-25", init.get("protocolVersion").getAsString());
        }
    }

    @Test
    void logsGoToStderrAtTheLevelOfEngramLog() throws Exception {
        try (McpProcess quiet = McpProcess.start(data, Map.of("ENGRAM_LOG", "error"))) {
            quiet.initialize("2025-06-18");
            quiet.closeStdinAndWait(Duration.ofSeconds(5));
            assertFalse(quiet.stderr().contains(" INFO "), "no info lines at ENGRAM_LOG=error:\n" + quiet.stderr());
        }
        try (McpProcess chatty = McpProcess.start(data, Map.of("ENGRAM_LOG", "debug"))) {
            chatty.initialize("2025-06-18");
            chatty.closeStdinAndWait(Duration.ofSeconds(5));
            assertTrue(chatty.stderr().contains(" INFO "), chatty.stderr());
            assertTrue(chatty.stderr().contains("Shutdown complete"), chatty.stderr());
            assertEquals(java.util.List.of(), chatty.nonProtocolLines, "debug logging never reaches stdout");
        }
    }
}
