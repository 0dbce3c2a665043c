package io.engram.mcp.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.engram.api.tool.Tool;
import io.engram.mcp.json.Json;
import io.engram.mcp.registry.ToolRegistry;
import io.engram.mcp.smoke.EchoTool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * This bundle in a real Felix with SCR and ConfigAdmin, next to a generated bundle of DS tool
 * components, spoken to over piped streams registered the way the launcher registers stdio.
 */
class StdioTransportFrameworkTest {

    private static final String COMPONENTS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <components xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0">
              <scr:component name="smoke.echo" activate="activate">
                <implementation class="io.engram.mcp.smoke.EchoTool"/>
                <property name="tool.name" value="smoke_echo"/>
                <service><provide interface="io.engram.api.tool.Tool"/></service>
              </scr:component>
              <scr:component name="smoke.late" activate="activate">
                <implementation class="io.engram.mcp.smoke.EchoTool"/>
                <property name="tool.name" value="smoke_late"/>
                <service><provide interface="io.engram.api.tool.Tool"/></service>
                <reference name="trigger" interface="java.lang.Runnable" target="(smoke=late)"/>
              </scr:component>
              <scr:component name="smoke.configured" activate="activate" configuration-policy="require">
                <implementation class="io.engram.mcp.smoke.EchoTool"/>
                <property name="tool.name" value="smoke_configured"/>
                <service><provide interface="io.engram.api.tool.Tool"/></service>
              </scr:component>
            </components>
            """;

    @TempDir
    Path dir;
    private Framework framework;
    private final BlockingQueue<String> fromServer = new LinkedBlockingQueue<>();

    @AfterEach
    void stopFramework() throws Exception {
        if (framework != null && framework.getState() != Bundle.RESOLVED) {
            framework.stop();
            framework.waitForStop(5000);
        }
    }

    @Test
    void servesToolsFromBundlesAndStopsTheFrameworkAtEndOfInput() throws Exception {
        Map<String, String> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, dir.resolve("cache").toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        framework = new FrameworkFactory().newFramework(properties);
        framework.init();
        BundleContext context = framework.getBundleContext();

        PipedOutputStream toServer = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(toServer, 1 << 16);
        context.registerService(InputStream.class, stdin, single("engram.stdio", "in"));
        context.registerService(OutputStream.class, new LineCollector(fromServer), single("engram.stdio", "out"));

        List<Bundle> bundles = new ArrayList<>();
        for (Class<?> inBundle : List.of(org.osgi.util.function.Function.class, org.osgi.util.promise.Promise.class,
                org.osgi.service.component.ComponentContext.class, org.apache.felix.scr.impl.Activator.class,
                org.apache.felix.cm.impl.Activator.class, Gson.class, Tool.class, ToolRegistry.class)) {
            bundles.add(context.installBundle("reference:" + inBundle.getProtectionDomain().getCodeSource()
                    .getLocation().toURI()));
        }
        bundles.add(context.installBundle(toolBundle().toUri().toString()));
        for (Bundle bundle : bundles) {
            bundle.start();
        }
        framework.start();
        configure(context, "engram.mcp", single("pageSize", 10));

        send(toServer, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}");
        assertEquals("2025-06-18", response(1).getAsJsonObject("result").get("protocolVersion").getAsString());
        send(toServer, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

        long listSent = System.nanoTime();
        send(toServer, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        Thread.sleep(400);
        // the late component's reference becomes satisfied: the first listing must include its tool
        context.registerService(Runnable.class, () -> { }, single("smoke", "late"));
        JsonObject listing = response(2).getAsJsonObject("result");
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - listSent);
        List<String> names = new ArrayList<>();
        listing.getAsJsonArray("tools").forEach(t -> names.add(t.getAsJsonObject().get("name").getAsString()));
        assertEquals(List.of("smoke_echo", "smoke_late"), names, "a component without its required config is not awaited");
        assertTrue(waitedMs >= 350, "the first listing waited for the unsatisfied component: " + waitedMs + " ms");

        send(toServer, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"smoke.echo\","
                + "\"arguments\":{\"message\":\"hi\"}}}");
        JsonObject result = response(3).getAsJsonObject("result");
        assertEquals("smoke_echo: hi", result.getAsJsonArray("content").get(0).getAsJsonObject().get("text").getAsString());

        toServer.close();
        FrameworkEvent stopped = framework.waitForStop(10_000);
        assertEquals(FrameworkEvent.STOPPED, stopped.getType(), "end of input stops the framework");
    }

    /** A bundle holding {@link EchoTool} and three DS components of it. */
    private Path toolBundle() throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, "smoke.tools");
        main.putValue(Constants.IMPORT_PACKAGE, "io.engram.api.tool;version=\"[1.0,2)\"");
        main.putValue("Service-Component", "OSGI-INF/components.xml");
        Path jar = dir.resolve("smoke.tools.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                InputStream classFile = EchoTool.class.getResourceAsStream("EchoTool.class")) {
            out.putNextEntry(new JarEntry("io/engram/mcp/smoke/EchoTool.class"));
            classFile.transferTo(out);
            out.putNextEntry(new JarEntry("OSGI-INF/components.xml"));
            out.write(COMPONENTS.strip().getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    /** Creates a configuration through ConfigAdmin's API as its own bundle sees it. */
    private static void configure(BundleContext context, String pid, Dictionary<String, Object> values)
            throws Exception {
        String adminName = "org.osgi.service.cm.ConfigurationAdmin";
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, adminName, null);
        tracker.open(true); // the system bundle sees another copy of the cm API on the test class path
        try {
            // ConfigAdmin registers its service a moment after its bundle started
            Object admin = tracker.waitForService(5000);
            assertNotNull(admin, "ConfigurationAdmin service");
            Class<?> adminType = admin.getClass().getClassLoader().loadClass(adminName);
            Object configuration = adminType.getMethod("getConfiguration", String.class, String.class)
                    .invoke(admin, pid, "?");
            adminType.getClassLoader().loadClass("org.osgi.service.cm.Configuration")
                    .getMethod("update", Dictionary.class).invoke(configuration, values);
        } finally {
            tracker.close();
        }
    }

    private static <V> Dictionary<String, V> single(String key, V value) {
        Hashtable<String, V> dictionary = new Hashtable<>();
        dictionary.put(key, value);
        return dictionary;
    }

    private static void send(OutputStream toServer, String json) throws IOException {
        toServer.write((json + "\n").getBytes(StandardCharsets.UTF_8));
        toServer.flush();
    }

    /** The answer to request {@code id}, skipping notifications. */
    private JsonObject response(int id) throws InterruptedException {
        while (true) {
            String line = fromServer.poll(10, TimeUnit.SECONDS);
            assertNotNull(line, "no answer to request " + id);
            JsonElement message = Json.parse(line);
            JsonElement messageId = message.getAsJsonObject().get("id");
            if (messageId != null && messageId.getAsInt() == id) {
                return message.getAsJsonObject();
            }
        }
    }

    /** Stands in for the real stdout: splits what the transport writes into lines. */
    private static final class LineCollector extends OutputStream {
        private final BlockingQueue<String> lines;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineCollector(BlockingQueue<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }
}
