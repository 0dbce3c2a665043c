package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken plugins with the real jar: for each way a deployment can go wrong, the connected client
 * gets a message (a notifications/message warning, or the call's error result) naming the file,
 * bundle or tool and the problem, and everything else keeps serving: the built-in memory tools
 * and a good plugin's tool.
 */
class BrokenDeploymentEndToEndTest {

    /** FileInstall polls every second; allow for a slow machine. */
    private static final Duration DEPLOY_WAIT = Duration.ofSeconds(10);
    private static final long CALL_TIMEOUT_MS = 1500;

    @TempDir
    Path data;
    @TempDir
    Path built;

    /** Every notification seen so far, so waiting for one never loses another. */
    private final List<JsonObject> seen = new ArrayList<>();
    private int memories;

    @Test
    void eachBrokenPluginIsReportedToTheClientWhileEverythingElseKeepsServing() throws Exception {
        seedConfigWithCallTimeout();
        Path deploy = data.resolve("deploy");
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-06-18");
            listedTools(engram);
            PluginJars.deploy(PluginJars.build("greeter_v1", built, Map.of()), deploy, "greeter.jar");
            awaitListed(engram, "greet");
            assertStillServing(engram);

            // (1) files that are not bundles: FileInstall alone skips them without a word
            Path notZip = Files.writeString(built.resolve("notzip.jar"), "just some notes, not a jar\n");
            PluginJars.deploy(notZip, deploy, "notzip.jar");
            assertWarning(engram, "deploy/notzip.jar is not an OSGi bundle: it is not a jar (zip) file; ignored");
            PluginJars.deploy(plainJar(built.resolve("plain.jar")), deploy, "plain.jar");
            assertWarning(engram,
                    "deploy/plain.jar is not an OSGi bundle: it has no Bundle-SymbolicName in its manifest; ignored");
            assertStillServing(engram);

            // (2) an import nothing exports
            PluginJars.deploy(PluginJars.build("unresolved", built,
                    Map.of("Import-Package", "com.example.missing;version=\"[1,2)\",*")), deploy, "unresolved.jar");
            assertWarning(engram, "bundle engram.test.unresolved 1.0.0 (deploy/unresolved.jar) cannot start: "
                    + "no installed bundle exports package com.example.missing version [1.0.0,2.0.0)");
            assertStillServing(engram);

            // (3) an activator that throws: FileInstall's start error, with the cause
            PluginJars.deploy(PluginJars.build("activator_throws", built,
                    Map.of("Bundle-Activator", "io.engram.tests.plugins.activator_throws.Activator")),
                    deploy, "activator_throws.jar");
            String activator = assertWarning(engram, "activator_throws.jar");
            assertTrue(activator.contains("engram.test.activator_throws")
                    && activator.contains("activator_throws cannot find its settings file"), activator);
            assertStillServing(engram);

            // (4) a tool component whose activation throws: reported from SCR's runtime state
            PluginJars.deploy(PluginJars.build("component_throws", built, Map.of()), deploy, "component_throws.jar");
            String component = assertWarning(engram,
                    "bundle engram.test.component_throws 1.0.0 (deploy/component_throws.jar): component "
                            + "io.engram.tests.plugins.component_throws.BrokenTool failed to activate: ");
            assertTrue(component.contains("component_throws has no licence key"), component);
            assertFalse(listedTools(engram).contains("broken_component"));
            assertStillServing(engram);

            // (5) tools with a name or schema clients reject: each named, with its bundle
            PluginJars.deploy(PluginJars.build("bad_tools", built, Map.of()), deploy, "bad_tools.jar");
            assertWarning(engram, "Ignoring a tool of bundle engram.test.bad_tools: name 'bad name!' does not match "
                    + "[a-zA-Z0-9_-]{1,64}");
            assertWarning(engram, "Ignoring a tool of bundle engram.test.bad_tools: tool bad_schema: input schema "
                    + "property 'when': unsupported keyword 'anyOf'");
            assertFalse(listedTools(engram).contains("bad_schema"));
            assertStillServing(engram);

            // (6, 7, 8) a tool that throws, returns nothing, hangs: the call's own error result. Its jar
            // replaces plain.jar of case 1, as a user fixing a wrong file would: now it is a bundle, it is installed.
            PluginJars.deploy(PluginJars.build("misbehaving_tools", built, Map.of()), deploy, "plain.jar");
            awaitListed(engram, "misbehave");
            assertToolError(engram, "throw", "tool misbehave failed: misbehave lost its database connection");
            assertToolError(engram, "null", "tool misbehave failed: the tool returned no result");
            assertToolError(engram, "hang", "tool misbehave timed out after " + CALL_TIMEOUT_MS + " ms");
            assertStillServing(engram);
            // stderr is read by its own thread and the timeout is logged as the answer goes out: allow it a moment
            long logDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String log = engram.stderr();
            while (!(log.contains("Tool misbehave of bundle engram.test.misbehaving_tools failed")
                    && log.contains("Tool misbehave of bundle engram.test.misbehaving_tools timed out after"))) {
                assertTrue(System.nanoTime() < logDeadline, log);
                Thread.sleep(50);
                log = engram.stderr();
            }

            // FileInstall retries failed starts whenever a bundle changes; each failure still reached the client once
            for (JsonObject next; (next = engram.notifications.poll()) != null; ) {
                seen.add(next);
            }
            for (String file : List.of("unresolved.jar", "activator_throws.jar")) {
                assertEquals(1, seen.stream().filter(n -> n.toString().contains("Error while starting bundle: ")
                        && n.toString().contains(file)).count(), seen.toString());
            }
        }
    }

    @Test
    void aBrokenJarAlreadyInTheDeployFolderIsReportedAfterInitialize() throws Exception {
        Path deploy = Files.createDirectories(data.resolve("deploy"));
        PluginJars.deploy(PluginJars.build("greeter_v1", built, Map.of()), deploy, "greeter.jar");
        PluginJars.deploy(plainJar(built.resolve("plain.jar")), deploy, "plain.jar");
        PluginJars.deploy(PluginJars.build("unresolved", built,
                Map.of("Import-Package", "com.example.missing;version=\"[1,2)\",*")), deploy, "unresolved.jar");
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-06-18");
            assertWarning(engram,
                    "deploy/plain.jar is not an OSGi bundle: it has no Bundle-SymbolicName in its manifest; ignored");
            assertWarning(engram, "bundle engram.test.unresolved 1.0.0 (deploy/unresolved.jar) cannot start: "
                    + "no installed bundle exports package com.example.missing version [1.0.0,2.0.0)");
            assertStillServing(engram);
        }
    }

    /** The shipped config, with a short call timeout so the hanging tool is cut off quickly. */
    private void seedConfigWithCallTimeout() throws IOException {
        Path config = McpProcess.shippedConfig(data);
        Path mcp = config.resolve("engram.mcp.cfg");
        Files.writeString(mcp, Files.readString(mcp).replace("callTimeoutMs = 120000", "callTimeoutMs = " + CALL_TIMEOUT_MS));
        assertTrue(Files.readString(mcp).contains("callTimeoutMs = " + CALL_TIMEOUT_MS));
    }

    /** A jar with a manifest but no OSGi headers: a plain library, not a bundle. */
    private static Path plainJar(Path path) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_TITLE, "a plain library");
        try (OutputStream out = Files.newOutputStream(path); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new java.util.zip.ZipEntry("README.txt"));
            jar.write("not a bundle".getBytes(StandardCharsets.UTF_8));
        }
        return path;
    }

    /** The built-in tools and the good plugin's tool still answer. */
    private void assertStillServing(McpProcess engram) throws Exception {
        JsonObject greeting = engram.callTool("greet", Map.of("name", "Ada"));
        assertEquals("hello from v1, Ada", text(greeting), greeting.toString());
        String content = "still serving after broken deployment " + (++memories);
        engram.callToolOk("memory_add", Map.of("content", content));
        JsonObject found = engram.callToolOk("memory_search", Map.of("query", "broken deployment " + memories));
        assertTrue(found.toString().contains(content), found.toString());
    }

    private static void assertToolError(McpProcess engram, String how, String expected) throws Exception {
        JsonObject result = engram.callTool("misbehave", Map.of("how", how));
        assertTrue(result.get("isError").getAsBoolean(), result.toString());
        assertEquals(expected, text(result), result.toString());
    }

    private static String text(JsonObject result) {
        return result.getAsJsonArray("content").get(0).getAsJsonObject().get("text").getAsString();
    }

    private static List<String> listedTools(McpProcess engram) throws Exception {
        List<String> names = new ArrayList<>();
        engram.result("tools/list", Map.of()).getAsJsonArray("tools")
                .forEach(t -> names.add(t.getAsJsonObject().get("name").getAsString()));
        return names;
    }

    /** Waits for a warning notifications/message whose text contains {@code fragment}; returns the text. */
    private String assertWarning(McpProcess engram, String fragment) throws InterruptedException {
        JsonObject message = await(engram, n -> "notifications/message".equals(McpClient.str(n, "method"))
                && n.getAsJsonObject("params").get("data").getAsString().contains(fragment));
        JsonObject params = message.getAsJsonObject("params");
        assertEquals("warning", params.get("level").getAsString(), params.toString());
        return params.get("data").getAsString();
    }

    /** Waits until tools/list shows {@code tool}, taking each list_changed as the cue to look again. */
    private void awaitListed(McpProcess engram, String tool) throws Exception {
        while (!listedTools(engram).contains(tool)) {
            JsonObject changed = await(engram,
                    n -> "notifications/tools/list_changed".equals(McpClient.str(n, "method")));
            seen.remove(changed);
        }
    }

    private JsonObject await(McpProcess engram, Predicate<JsonObject> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + DEPLOY_WAIT.toNanos();
        while (true) {
            for (JsonObject notification : seen) {
                if (wanted.test(notification)) {
                    return notification;
                }
            }
            long left = deadline - System.nanoTime();
            JsonObject next = left <= 0 ? null : engram.notifications.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("not seen within " + DEPLOY_WAIT + "; notifications: " + seen
                        + "\nserver log:\n" + engram.stderr());
            }
            seen.add(next);
        }
    }
}
