package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy folder with the real jar: the example plugin dropped into {@code <data>/deploy}
 * goes live for a connected client, and goes away again when its jar is deleted.
 */
class DeployFolderEndToEndTest {

    /** FileInstall polls every second; allow for a slow machine. */
    private static final Duration DEPLOY_WAIT = Duration.ofSeconds(10);

    @TempDir
    Path data;

    /** The example plugin's bundle jar, built by the reactor before this module. */
    static Path examplePlugin() throws IOException {
        Path target = Path.of("../examples/engram.example.time/target");
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "engram.example.time-*.jar")) {
            for (Path jar : jars) {
                String name = jar.getFileName().toString();
                if (!name.endsWith("-sources.jar") && !name.endsWith("-tests.jar")) {
                    return jar;
                }
            }
        }
        throw new IllegalStateException("example plugin not built in " + target.toAbsolutePath());
    }

    @Test
    void aJarDroppedIntoTheDeployFolderServesItsToolsUntilItIsDeleted() throws Exception {
        Path deploy = data.resolve("deploy");
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-06-18");
            assertFalse(engram.toolNames().contains("time_now"), "not deployed yet");
            // On a first start the host may send list_changed for its own startup registrations while this
            // first tools/list waits for startup to settle (engram.mcp notifies a client that has not listed
            // yet); it arrives before the list, so dropping it here keeps the wait below for the deploy.
            engram.notifications.clear();
            assertTrue(Files.isDirectory(deploy), "the host creates the deploy folder");

            // Write beside the target and rename, so the watcher never sees half a jar.
            Path partial = Files.copy(examplePlugin(), deploy.resolve(".time.jar.part"));
            long landed = System.nanoTime();
            Files.move(partial, deploy.resolve("engram.example.time.jar"), StandardCopyOption.ATOMIC_MOVE);
            engram.awaitNotification("notifications/tools/list_changed", DEPLOY_WAIT);
            long announcedMs = (System.nanoTime() - landed) / 1_000_000;
            engram.awaitTools(names -> names.containsAll(Set.of("time_now", "time_convert")), DEPLOY_WAIT);

            JsonObject now = engram.callToolOk("time_now", Map.of("timezone", "UTC"));
            assertEquals("UTC", now.get("timezone").getAsString());
            assertTrue(Math.abs(now.get("epochMs").getAsLong() - System.currentTimeMillis()) < 60_000, now.toString());
            JsonObject tokyo = engram.callToolOk("time_convert",
                    Map.of("time", "2025-01-10T15:00:00-05:00", "to", "Asia/Tokyo"));
            assertEquals("2025-01-11T05:00:00+09:00", tokyo.get("iso").getAsString());
            engram.callToolOk("memory_add", Map.of("content", "the built-in tools keep working beside a plugin"));

            Files.delete(deploy.resolve("engram.example.time.jar"));
            Set<String> after = engram.awaitTools(names -> !names.contains("time_now")
                    && !names.contains("time_convert"), DEPLOY_WAIT);
            assertFalse(after.contains("time_now") || after.contains("time_convert"), "tools gone: " + after);
            JsonObject gone = engram.request("tools/call", Map.of("name", "time_now", "arguments", Map.of()));
            assertEquals(-32602, gone.getAsJsonObject("error").get("code").getAsInt(), gone.toString());
            assertTrue(after.contains("memory_search"));

            System.err.println("deploy folder: jar landed -> list_changed in " + announcedMs + " ms");
        }
    }
}
