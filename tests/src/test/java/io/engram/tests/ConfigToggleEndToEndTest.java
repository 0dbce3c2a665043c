package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An admin edits the launcher's own config files while an IDE is connected: config/bundles.list
 * switches a tool family off and on, config/engram.logging.cfg changes the log level.
 */
class ConfigToggleEndToEndTest {

    @TempDir
    Path data;

    private static void edit(Path file, String from, String to) throws Exception {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.contains(from), "the shipped list has '" + from.strip() + "'");
        Path next = file.resolveSibling(file.getFileName() + ".edit");
        Files.writeString(next, text.replace(from, to), StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aFamilySwitchedOffAndOnInBundlesListComesAndGoesLive() throws Exception {
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-11-25");
            assertTrue(engram.toolNames().contains("memory_add"));
            Path list = data.resolve("config/bundles.list");
            engram.notifications.clear();

            long edited = System.nanoTime();
            edit(list, "\nengram.memory\n", "\n# engram.memory\nno.such.bundle\n");
            Set<String> off = engram.awaitTools(names -> !names.contains("memory_add"), Duration.ofSeconds(5));
            long offMs = (System.nanoTime() - edited) / 1_000_000;
            assertFalse(off.contains("memory_add"), "memory family switched off: " + off);
            assertTrue(off.contains("system_status"), "the other families stay: " + off);
            JsonObject gone = engram.request("tools/call", Map.of("name", "memory_add", "arguments", Map.of("content", "x")));
            assertEquals(-32602, gone.getAsJsonObject("error").get("code").getAsInt());
            assertTrue(engram.stderr().contains("bundles.list line"), "the bad entry is named with its line:\n"
                    + engram.stderr());
            assertTrue(engram.stderr().contains("'no.such.bundle'"), engram.stderr());

            edited = System.nanoTime();
            edit(list, "\n# engram.memory\nno.such.bundle\n", "\nengram.memory\n");
            engram.awaitTools(names -> names.contains("memory_add"), Duration.ofSeconds(5)); // the family is back
            long onMs = (System.nanoTime() - edited) / 1_000_000;
            assertTrue(engram.callToolOk("memory_add", Map.of("content", "after switching back on")).has("id"));
            System.out.println("bundles.list edit to list_changed: off " + offMs + " ms, on " + onMs + " ms");
        }
    }

    @Test
    void theLogLevelFileAppliesLiveAndABadValueIsReportedToTheClient() throws Exception {
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-06-18");
            assertTrue(engram.toolNames().contains("memory_add"));
            Path logging = data.resolve("config/engram.logging.cfg");

            edit(logging, "\nlevel = info\n", "\nlevel = debug\n");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!engram.stderr().contains("INFO  launcher.LogSettings: Log level debug (" + logging + ")")) {
                assertTrue(System.nanoTime() < deadline, "level not applied within 10 s:\n" + engram.stderr());
                Thread.sleep(50);
            }

            edit(logging, "\nlevel = debug\n", "\nlevel = loud\n");
            JsonObject message = engram.awaitNotification("notifications/message", Duration.ofSeconds(10))
                    .getAsJsonObject("params");
            assertEquals("error", message.get("level").getAsString(), message.toString());
            assertEquals("config file " + logging + ": level = \"loud\" is not a level (error, warn, info, debug,"
                    + " trace or off); keeping debug", message.get("data").getAsString());
            engram.callToolOk("memory_add", Map.of("content", "the host keeps serving after a bad log level"));
        }
    }
}
