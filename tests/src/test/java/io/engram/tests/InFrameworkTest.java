package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.engram.launcher.EngramHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The real Felix framework, real SCR, Configuration Admin and FileInstall, and the real
 * bundles from engram.jar, in this JVM; MCP spoken over in-memory pipes.
 */
class InFrameworkTest {

    @RegisterExtension
    final InProcessHost inProcess = new InProcessHost(Duration.ofSeconds(2));

    Path data;
    EngramHost host;
    McpClient client;

    @BeforeEach
    void useTheHost() {
        data = inProcess.data();
        host = inProcess.host();
        client = inProcess.client();
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : host.framework().getBundleContext().getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("bundle not installed: " + symbolicName);
    }

    @Test
    void everyConfiguredBundleIsActiveAndTheServicesAreRegistered() throws Exception {
        for (String name : new String[] {"org.apache.felix.scr", "org.apache.felix.configadmin",
                "org.apache.felix.fileinstall", "com.google.gson", "engram.api", "engram.lmdb", "engram.storage",
                "engram.mcp", "engram.memory"}) {
            assertEquals(Bundle.ACTIVE, bundle(name).getState(), name + " active");
        }
        BundleContext system = host.framework().getBundleContext();
        ServiceReference<?>[] stores = system.getAllServiceReferences("io.engram.api.store.Store", null);
        assertNotNull(stores, "Store service registered");
        assertEquals("engram.storage", stores[0].getBundle().getSymbolicName());
        ServiceReference<?>[] tools = system.getAllServiceReferences("io.engram.api.tool.Tool", null);
        assertNotNull(tools);
        assertTrue(tools.length >= 4, "the memory tools are Tool services");
        assertTrue(client.toolNames().containsAll(HandshakeEndToEndTest.MEMORY_TOOLS));
    }

    @Test
    void theKnowledgeGraphIsAServiceOtherBundlesCanImport() throws Exception {
        Bundle kg = bundle("engram.kg");
        assertEquals(Bundle.ACTIVE, kg.getState());
        String exports = kg.getHeaders().get("Export-Package");
        assertTrue(exports.startsWith("io.engram.kg.graph;version=\"0.2.0\""), exports);
        assertFalse(exports.contains("io.engram.kg;") || exports.contains("io.engram.kg,"), "the tools stay private");
        ServiceReference<?>[] graphs = host.framework().getBundleContext()
                .getAllServiceReferences("io.engram.kg.graph.KnowledgeGraph", null);
        assertNotNull(graphs, "KnowledgeGraph service registered");
        assertEquals("engram.kg", graphs[0].getBundle().getSymbolicName());
        assertTrue(client.toolNames().containsAll(KnowledgeGraphEndToEndTest.KG_TOOLS));
    }

    /** The terms of {@code tokens}, a List of io.engram.text.Token from the bundle's class loader. */
    private static java.util.List<String> terms(Object tokens) throws Exception {
        java.util.List<String> terms = new java.util.ArrayList<>();
        for (Object token : (java.util.List<?>) tokens) {
            terms.add((String) token.getClass().getMethod("term").invoke(token));
        }
        return terms;
    }

    @Test
    void theTextAnalyzerRunsInsideItsBundleOnItsOwnCopyOfLucene() throws Exception {
        Bundle text = bundle("engram.text");
        assertEquals(Bundle.ACTIVE, text.getState());
        assertEquals("io.engram.text;version=\"0.1.0\",io.engram.text.index;version=\"0.1.0\";uses:=\"io.engram.api.store,io.engram.text\"",
                text.getHeaders().get("Export-Package"), "only the API: the analyzer and the index");
        assertFalse(text.getHeaders().get("Import-Package").contains("org.apache.lucene"), "Lucene is inside");

        Class<?> analyzerClass = text.loadClass("io.engram.text.TextAnalyzer");
        assertEquals(text, org.osgi.framework.FrameworkUtil.getBundle(analyzerClass), "loaded by the bundle");
        assertEquals(text, org.osgi.framework.FrameworkUtil.getBundle(
                text.loadClass("org.apache.lucene.analysis.Analyzer")), "Lucene loaded by the bundle too");
        Object analyzer = analyzerClass.getMethod("english").invoke(null);
        java.lang.reflect.Method index = analyzerClass.getMethod("index", String.class);
        java.lang.reflect.Method query = analyzerClass.getMethod("query", String.class);

        assertEquals(java.util.List.of("the", "parsejsonfile", "parse", "json", "file", "in",
                "src/main/java/foo.java", "srcmainjavafoojava", "src", "main", "java", "foo", "java", "fail", "on",
                "1.2.3", "1", "2", "3", "http_server", "httpserver", "http", "server", "log", "日", "本"),
                terms(index.invoke(analyzer, "The parseJsonFile() in src/main/java/Foo.java fails on 1.2.3; "
                        + "HTTPServer logs 日本 🚀")));
        assertEquals(java.util.List.of("cache", "test"), terms(query.invoke(analyzer, "the caching of tests")));
        assertEquals(java.util.List.of("the"), terms(query.invoke(analyzer, "the")));
        // every code path of the chain on a large mixed text: a class missing from the bundle would fail here
        StringBuilder mixed = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            mixed.append("Line ").append(i).append(": XMLHttpRequest's parse_json_file in C:\\tmp\\a-b.txt, ")
                    .append("https://example.com/x?y=").append(i).append(" v").append(i % 7).append(".0 Ünïcödé ")
                    .append("テキスト ").append("x".repeat(i % 150)).append(" state of the art. ");
        }
        assertTrue(terms(index.invoke(analyzer, mixed.toString())).size() > 50_000);
        assertFalse(terms(query.invoke(analyzer, mixed.toString())).contains("the"));
    }

    @Test
    void aPluginImportingTheTextApiIsWiredToTheTextBundle() throws Exception {
        assertFalse(client.toolNames().contains("terms")); // a client that never listed is not told of changes
        Path built = PluginJars.build("text_user", data.resolve("built"), Map.of());
        Bundle user = host.framework().getBundleContext().installBundle(built.toUri().toString());
        user.start();
        assertTrue(user.getHeaders().get("Import-Package").contains("io.engram.text;version=\"[0.1,"),
                user.getHeaders().get("Import-Package"));
        client.awaitTools(names -> names.contains("terms"), Duration.ofSeconds(5));
        JsonObject result = client.callTool("terms", Map.of("text", "the parseJsonFile tests"));
        assertEquals("parsejsonfile parse json file test",
                result.getAsJsonArray("content").get(0).getAsJsonObject().get("text").getAsString());
    }

    @Test
    void toolsGoAndComeWithTheirBundleAndClientsAreTold() throws Exception {
        String id = client.callToolOk("memory_add", Map.of("content", "kept while the family is off",
                "layer_hint", "LTM")).get("id").getAsString();
        assertTrue(client.toolNames().contains("memory_add")); // as IDEs do; a client that never listed is not told
        client.notifications.clear();

        bundle("engram.memory").stop();
        client.awaitNotification("notifications/tools/list_changed", Duration.ofSeconds(5));
        assertFalse(client.toolNames().contains("memory_add"), "memory tools gone with their bundle");
        JsonObject gone = client.request("tools/call", Map.of("name", "memory_add",
                "arguments", Map.of("content", "x")));
        assertEquals(-32602, gone.getAsJsonObject("error").get("code").getAsInt(), "unknown tool now");

        bundle("engram.memory").start();
        client.awaitTools(names -> names.containsAll(HandshakeEndToEndTest.MEMORY_TOOLS), Duration.ofSeconds(5));
        JsonObject found = client.callToolOk("memory_search", Map.of("q", "family"));
        assertEquals(id, found.getAsJsonArray("results").get(0).getAsJsonObject().get("id").getAsString());
    }

    @Test
    void updatingTheStorageBundleUnderLoadFailsNoCallBeyondRetryableErrorsAndLosesNoWrite() throws Exception {
        Map<String, String> acknowledged = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.List<String> unexpected = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger retryable = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger counter = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<Thread> writers = new java.util.ArrayList<>();
        for (int w = 0; w < 4; w++) {
            Thread writer = new Thread(() -> {
                while (running.get()) {
                    String word = Words.of(counter.getAndIncrement());
                    try {
                        JsonObject result = client.callTool("memory_add",
                                Map.of("content", "hot swap write " + word, "layer_hint", "LTM"));
                        String text = result.getAsJsonArray("content").get(0).getAsJsonObject().get("text").getAsString();
                        if (!result.get("isError").getAsBoolean()) {
                            acknowledged.put(word, result.getAsJsonObject("structuredContent").get("id").getAsString());
                        } else if (text.startsWith("storage unavailable")) {
                            retryable.incrementAndGet();
                        } else {
                            unexpected.add(text);
                        }
                    } catch (Exception e) {
                        unexpected.add(e.toString());
                    }
                }
            });
            writer.start();
            writers.add(writer);
        }
        Bundle storage = bundle("engram.storage");
        for (int swap = 0; swap < 3; swap++) {
            Thread.sleep(300);
            // a new build of the bundle (here the same jar again), while calls run
            storage.update(EngramHost.class.getClassLoader().getResourceAsStream("bundles/engram.storage.jar"));
        }
        Thread.sleep(300);
        running.set(false);
        for (Thread writer : writers) {
            writer.join(30_000);
        }
        assertEquals(java.util.List.of(), unexpected, "no call failed beyond 'storage unavailable'");
        assertTrue(acknowledged.size() > 20, "writes went on around the swaps: " + acknowledged.size());
        for (Map.Entry<String, String> write : acknowledged.entrySet()) {
            JsonObject found = client.callToolOk("memory_search", Map.of("q", write.getKey(), "limit", 1));
            assertEquals(write.getValue(),
                    found.getAsJsonArray("results").get(0).getAsJsonObject().get("id").getAsString(),
                    "acknowledged write " + write.getKey() + " survived the swaps");
        }
        System.out.println("hot swap: " + acknowledged.size() + " writes acknowledged, " + retryable.get()
                + " answered 'storage unavailable' during 3 updates of engram.storage");
    }

    @Test
    void restartingTheStorageBundleDrainsAndReopensWithoutLosingData() throws Exception {
        String id = client.callToolOk("memory_add", Map.of("content", "survives a storage bundle restart",
                "layer_hint", "LTM")).get("id").getAsString();
        Bundle storage = bundle("engram.storage");
        storage.stop();
        assertEquals(Bundle.RESOLVED, storage.getState());
        storage.start();
        JsonObject found = client.callToolOk("memory_search", Map.of("q", "restart"));
        assertEquals(id, found.getAsJsonArray("results").get(0).getAsJsonObject().get("id").getAsString());
    }
}
