package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

/** The optional semantic search bundle, built by the reactor before this module and not inside engram.jar. */
final class SemanticBundle {

    private SemanticBundle() {
    }

    static Path jar() throws IOException {
        Path target = Path.of("../bundles/engram.semantic/target");
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "engram.semantic-*.jar")) {
            for (Path jar : jars) {
                String name = jar.getFileName().toString();
                if (!name.endsWith("-sources.jar") && !name.endsWith("-tests.jar")) {
                    return jar;
                }
            }
        }
        throw new IllegalStateException("engram.semantic not built in " + target.toAbsolutePath());
    }

    /**
     * Drops the bundle into {@code data}'s deploy folder as an admin does: copied under a temporary name,
     * then renamed, so FileInstall never sees half a jar.
     */
    static void deploy(Path data) throws IOException {
        Path deploy = Files.createDirectories(data.resolve("deploy"));
        Path partial = Files.copy(jar(), deploy.resolve(".engram.semantic.jar.part"));
        Files.move(partial, deploy.resolve("engram.semantic.jar"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Waits (at most {@code timeout}) until the host's semantic bundle has {@code vectors} vectors and none pending. */
    static void awaitVectors(McpProcess engram, long vectors, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonObject status = engram.callToolOk("system_status", Map.of());
            JsonObject semantic = status.has("semantic") ? status.getAsJsonObject("semantic") : null;
            if (semantic != null && semantic.has("pending") && semantic.get("pending").getAsLong() == 0
                    && semantic.get("vectors").getAsLong() == vectors) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "vectors: " + status + "\n" + engram.stderr());
            Thread.sleep(200);
        }
    }
}
