package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flow an IDE runs, driven by the official MCP TypeScript client
 * (@modelcontextprotocol/sdk, installed by the build with npm ci): it validates every
 * structuredContent against the tool's outputSchema. The flow itself is tests/ts/client-flow.mjs.
 */
class TypeScriptClientTest {

    @TempDir
    Path data;

    @Test
    void officialTypeScriptClientRunsTheWholeFlow() throws Exception {
        Path tsDir = Path.of(System.getProperty("engram.ts.dir", "ts"));
        assertTrue(Files.isDirectory(tsDir.resolve("node_modules/@modelcontextprotocol/sdk")),
                "npm ci ran in " + tsDir.toAbsolutePath());
        Path output = data.resolve("node-output.txt");
        ProcessBuilder builder = new ProcessBuilder("node", "client-flow.mjs",
                "--jar", McpProcess.jar().toAbsolutePath().toString(), "--data", data.resolve("engram").toString())
                .directory(tsDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process node = builder.start();
        boolean finished = node.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            node.destroyForcibly();
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println(log);
        assertTrue(finished, "client flow finished in time:\n" + log);
        assertEquals(0, node.exitValue(), "client flow passed:\n" + log);
        assertTrue(log.contains("# fail 0"), log);
    }
}
