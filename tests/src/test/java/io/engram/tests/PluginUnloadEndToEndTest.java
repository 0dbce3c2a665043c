package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin removed while its tool is busy, with the real jar and a real bundle: a call that
 * ends within the unload drain gets its normal answer, one that outlasts it gets "tool X was
 * unloaded", a later call gets the unknown-tool error, and the built-in tools never notice.
 */
class PluginUnloadEndToEndTest {

    private static final Duration DEPLOY_WAIT = Duration.ofSeconds(15);
    private static final long DRAIN_MS = 6000;

    @TempDir
    Path data;

    @Test
    void callsInFlightDrainOrAreToldTheToolWasUnloaded() throws Exception {
        Path deploy = data.resolve("deploy");
        Path plugin = PluginJars.build("sleeper", data.resolve("built"), Map.of());
        // A drain long enough that a 2 s call surely ends inside it, whenever FileInstall notices the delete.
        Path config = McpProcess.shippedConfig(data);
        Path mcpConfig = config.resolve("engram.mcp.cfg");
        String text = Files.readString(mcpConfig, StandardCharsets.UTF_8);
        assertTrue(text.contains("\nunloadDrainMs = 2000"), text);
        Files.writeString(mcpConfig, text.replace("\nunloadDrainMs = 2000", "\nunloadDrainMs = " + DRAIN_MS),
                StandardCharsets.UTF_8);
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-06-18");
            assertFalse(engram.result("tools/list", Map.of()).toString().contains("sleep_for"), "not deployed yet");
            PluginJars.deploy(plugin, deploy, "sleeper.jar");
            awaitListed(engram, "sleep_for", true);
            assertEquals("slept 1 ms", text(engram.callTool("sleep_for", Map.of("ms", 1))));

            CompletableFuture<JsonObject> short_ = engram.requestAsync("tools/call",
                    Map.of("name", "sleep_for", "arguments", Map.of("ms", 2000)));
            CompletableFuture<JsonObject> endless = engram.requestAsync("tools/call",
                    Map.of("name", "sleep_for", "arguments", Map.of("ms", 120_000)));
            Files.delete(deploy.resolve("sleeper.jar"));

            JsonObject finished = short_.get(30, TimeUnit.SECONDS).getAsJsonObject("result");
            assertFalse(finished.has("isError") && finished.get("isError").getAsBoolean(), finished.toString());
            assertEquals("slept 2000 ms", text(finished));
            engram.callToolOk("memory_add", Map.of("content", "written while a plugin drains"));

            JsonObject cut = endless.get(30, TimeUnit.SECONDS).getAsJsonObject("result");
            assertTrue(cut.get("isError").getAsBoolean(), cut.toString());
            assertEquals("tool sleep_for was unloaded", text(cut));

            awaitListed(engram, "sleep_for", false);
            JsonObject gone = engram.request("tools/call", Map.of("name", "sleep_for", "arguments", Map.of("ms", 1)));
            assertEquals(-32602, gone.getAsJsonObject("error").get("code").getAsInt(), gone.toString());
            JsonObject found = engram.callToolOk("memory_search", Map.of("query", "drains"));
            assertTrue(found.toString().contains("written while a plugin drains"), found.toString());
        }
    }

    /** Lists tools at each list_changed until {@code tool} is listed (or gone). */
    private static void awaitListed(McpProcess engram, String tool, boolean listed) throws Exception {
        long deadline = System.nanoTime() + DEPLOY_WAIT.toNanos();
        while (engram.result("tools/list", Map.of()).toString().contains("\"" + tool + "\"") != listed) {
            engram.awaitNotification("notifications/tools/list_changed",
                    Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
    }

    private static String text(JsonObject result) {
        return result.getAsJsonArray("content").get(0).getAsJsonObject().get("text").getAsString();
    }
}
