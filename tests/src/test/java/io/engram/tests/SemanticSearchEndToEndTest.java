package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optional semantic bundle with the real engram.jar: not there by default, and once its jar is dropped into
 * the deploy folder it resolves against the host's engram.api, starts, loads its model and says so in
 * {@code system_status}; the host keeps serving meanwhile.
 */
class SemanticSearchEndToEndTest {

    /** FileInstall acts after two equal scans a second apart; the model then loads in about a second. */
    private static final Duration DEPLOY_WAIT = Duration.ofSeconds(60);

    @TempDir
    Path data;

    @Test
    void theBundleDroppedIntoTheDeployFolderStartsAndLoadsItsModel() throws Exception {
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-06-18");
            assertFalse(engram.callToolOk("system_status", Map.of()).has("semantic"), "not in engram.jar");

            Path deploy = data.resolve("deploy");
            SemanticBundle.deploy(data);

            JsonObject semantic = awaitSemanticState(engram, "ready");
            assertEquals("all-minilm-l6-v2-q/int8", semantic.get("model").getAsString());
            assertEquals(0, semantic.get("pending").getAsLong(), semantic.toString());
            assertEquals(0, semantic.get("vectors").getAsLong(), semantic.toString());
            JsonObject status = engram.callToolOk("system_status", Map.of());
            assertFalse(status.toString().contains("semantic reports a problem"), status.toString());
            assertTrue(engram.stderr().contains("Semantic search ready: model all-minilm-l6-v2-q/int8 loaded in"),
                    engram.stderr());
            engram.callToolOk("memory_add", Map.of("content", "the host keeps serving beside the semantic bundle"));
            // loading the model and its native libraries warns about nothing the user could act on
            for (JsonObject notification : engram.notifications) {
                assertFalse("notifications/message".equals(McpClient.str(notification, "method")),
                        notification.toString());
            }

            Files.delete(deploy.resolve("engram.semantic.jar"));
            long deadline = System.nanoTime() + DEPLOY_WAIT.toNanos();
            while (engram.callToolOk("system_status", Map.of()).has("semantic")) {
                assertTrue(System.nanoTime() < deadline, "the section leaves with the bundle");
                Thread.sleep(200);
            }
            assertEquals(0, engram.closeStdinAndWait(Duration.ofSeconds(10)));
        }
    }

    @Test
    void aBundleLeftInTheDeployFolderStartsWithTheHostAndStopsWithIt() throws Exception {
        Path deploy = Files.createDirectories(data.resolve("deploy"));
        Files.copy(SemanticBundle.jar(), deploy.resolve("engram.semantic.jar"));
        for (int run = 1; run <= 2; run++) { // the second start reuses the framework cache slot
            try (McpProcess engram = McpProcess.start(data)) {
                engram.initialize("2025-06-18");
                JsonObject semantic = awaitSemanticState(engram, "ready");
                assertEquals(0, semantic.get("pending").getAsLong(), semantic.toString());
                engram.callToolOk("memory_add", Map.of("content", "start " + run));
                assertEquals(0, engram.closeStdinAndWait(Duration.ofSeconds(10)), engram.stderr());
            }
        }
    }

    /**
     * An IDE window closed a moment after it opened: stdin ends while the model is still loading, inside
     * ONNX Runtime's native code, which cannot be interrupted. The host waits for it before exiting: a JVM
     * exiting meanwhile crashed there (SIGSEGV), printed its fatal-error banner on stdout, which belongs to
     * the protocol, and left an hs_err file in the IDE's working folder.
     */
    @Test
    void stdinClosedWhileTheModelLoadsEndsCleanly() throws Exception {
        Path deploy = Files.createDirectories(data.resolve("deploy"));
        Files.copy(SemanticBundle.jar(), deploy.resolve("engram.semantic.jar"));
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-06-18");
            long deadline = System.nanoTime() + DEPLOY_WAIT.toNanos();
            while (!engram.stderr().contains("Loading the embedding model")) {
                assertTrue(System.nanoTime() < deadline, "the model never started loading\n" + engram.stderr());
                Thread.sleep(10);
            }
            int code = engram.closeStdinAndWait(Duration.ofSeconds(10));
            String stderr = engram.stderr();
            assertFalse(stderr.contains("fatal error"), stderr);
            assertEquals(List.of(), List.copyOf(engram.nonProtocolLines), "stdout carries protocol lines only");
            assertFalse(Files.exists(Path.of("hs_err_pid" + engram.process.pid() + ".log")), "no JVM crash report");
            assertEquals(0, code, stderr);
        }
    }

    private static JsonObject awaitSemanticState(McpProcess engram, String state) throws Exception {
        long deadline = System.nanoTime() + DEPLOY_WAIT.toNanos();
        while (true) {
            JsonObject status = engram.callToolOk("system_status", Map.of());
            JsonObject semantic = status.has("semantic") ? status.getAsJsonObject("semantic") : null;
            if (semantic != null && state.equals(semantic.get("state").getAsString()) && semantic.has("pending")) {
                return semantic;
            }
            assertTrue(System.nanoTime() < deadline, "semantic state " + state + ": " + status + "\n"
                    + engram.stderr());
            Thread.sleep(200);
        }
    }
}
