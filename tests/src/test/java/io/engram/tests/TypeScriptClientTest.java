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
 * structuredContent against the tool's outputSchema. The flows are tests/ts/client-flow.mjs and
 * tests/ts/compat-flow.mjs (the reference-compatible family).
 */
class TypeScriptClientTest {

    @TempDir
    Path data;

    @Test
    void officialTypeScriptClientRunsTheWholeFlow() throws Exception {
        runFlow("client-flow.mjs");
    }

    /** The reference-compatible family, switched on in the data folder's bundles.list by the flow before start. */
    @Test
    void officialTypeScriptClientRunsTheReferenceCompatibleFlow() throws Exception {
        runFlow("compat-flow.mjs");
    }

    private void runFlow(String script) throws Exception {
        Path tsDir = Path.of(System.getProperty("engram.ts.dir", "ts"));
        assertTrue(Files.isDirectory(tsDir.resolve("node_modules/@modelcontextprotocol/sdk")),
                "npm ci ran in " + tsDir.toAbsolutePath());
        Path output = data.resolve(script + "-output.txt");
        ProcessBuilder builder = new ProcessBuilder("node", script,
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
        assertTrue(finished, script + " finished in time:\n" + log);
        assertEquals(0, node.exitValue(), script + " passed:\n" + log);
        assertTrue(log.contains("# fail 0"), log);
    }
}
