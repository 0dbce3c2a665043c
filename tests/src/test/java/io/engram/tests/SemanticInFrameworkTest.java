package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.launcher.EngramHost;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

/**
 * The semantic bundle inside the real Felix of an Engram host: it resolves against engram.api alone, and the model,
 * ONNX Runtime and the tokenizer (with their native libraries) load from inside the bundle and embed.
 */
class SemanticInFrameworkTest {

    @RegisterExtension
    final InProcessHost inProcess = new InProcessHost(Duration.ofSeconds(5));

    Path data;
    EngramHost host;
    McpClient client;

    @BeforeEach
    void useTheHost() {
        data = inProcess.data();
        host = inProcess.host();
        client = inProcess.client();
    }

    @Test
    void theBundleEmbedsInsideFelixOnItsOwnCopyOfTheModelAndOnnxRuntime() throws Exception {
        BundleContext system = host.framework().getBundleContext();
        Bundle semantic = system.installBundle(SemanticBundle.jar().toUri().toString());
        semantic.start();
        assertEquals(Bundle.ACTIVE, semantic.getState());
        String imports = semantic.getHeaders().get("Import-Package");
        assertFalse(imports.contains("ai.onnxruntime") || imports.contains("dev.langchain4j"), "inside: " + imports);
        assertEquals(null, semantic.getHeaders().get("Export-Package"), "exports nothing");
        assertEquals(semantic, FrameworkUtil.getBundle(semantic.loadClass("ai.onnxruntime.OrtEnvironment")));

        ServiceReference<?> reference = awaitService(system, "io.engram.api.search.SemanticIndex");
        assertEquals(semantic, reference.getBundle());
        Object index = system.getService(reference);
        Bundle api = apiBundle(system);
        Class<?> storeType = api.loadClass("io.engram.api.store.Store");
        Class<?> writeWork = api.loadClass("io.engram.api.store.Store$WriteWork");
        Class<?> writeTxn = api.loadClass("io.engram.api.store.WriteTxn");
        Class<?> indexType = api.loadClass("io.engram.api.search.SemanticIndex");
        Object store = system.getService(awaitService(system, "io.engram.api.store.Store"));
        Method textChanged = indexType.getMethod("textChanged", writeTxn, String.class, String.class, String.class);

        Object work = Proxy.newProxyInstance(writeWork.getClassLoader(), new Class<?>[] {writeWork},
                (proxy, method, args) -> {
                    if (!method.getName().equals("run")) {
                        return method.invoke(this, args);
                    }
                    textChanged.invoke(index, args[0], "proj", "mem_1", "The staging database password rotates"
                            + " every 90 days");
                    textChanged.invoke(index, args[0], "proj", "mem_2", "Speed up compilation with the gradle"
                            + " daemon");
                    textChanged.invoke(index, args[0], "proj", "mem_3", "Lunch with the design team is on"
                            + " Thursdays");
                    return null;
                });
        storeType.getMethod("write", writeWork).invoke(store, work);

        Method pending = indexType.getMethod("pending");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while ((long) pending.invoke(index) > 0) {
            assertTrue(System.nanoTime() < deadline, "embedded within a minute");
            Thread.sleep(20);
        }
        Predicate<String> every = id -> true;
        List<?> hits = (List<?>) indexType.getMethod("nearest", String.class, Set.class, int.class, Predicate.class)
                .invoke(index, "how do I make the build faster", Set.of("proj"), 3, every);
        assertEquals(3, hits.size());
        Object best = hits.get(0);
        assertEquals("mem_2", best.getClass().getMethod("id").invoke(best), hits.toString());
        assertEquals("all-minilm-l6-v2-q/int8", indexType.getMethod("modelId").invoke(index));

        semantic.stop(); // the worker ends with its component; the store and host go on
        assertEquals(Bundle.RESOLVED, semantic.getState());
        assertTrue(client.toolNames().contains("memory_add"));

        // A new version dropped into the deploy folder is an update: a new class loader, which must load the
        // native libraries again although the old one may still hold them.
        semantic.update(java.nio.file.Files.newInputStream(SemanticBundle.jar()));
        semantic.start();
        ServiceReference<?> updated = awaitService(system, "io.engram.api.search.SemanticIndex");
        Object again = system.getService(updated);
        List<?> after = (List<?>) indexType.getMethod("nearest", String.class, Set.class, int.class,
                Predicate.class).invoke(again, "who checks the database credentials", Set.of("proj"), 1, every);
        assertEquals("mem_1", after.get(0).getClass().getMethod("id").invoke(after.get(0)), after.toString());
    }

    private static Bundle apiBundle(BundleContext system) {
        for (Bundle bundle : system.getBundles()) {
            if ("engram.api".equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("engram.api not installed");
    }

    private static ServiceReference<?> awaitService(BundleContext context, String type) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            // all: this test's class path has its own copy of engram.api, which the bundles' services are not
            ServiceReference<?>[] references = context.getAllServiceReferences(type, null);
            if (references != null) {
                return references[0];
            }
            assertTrue(System.nanoTime() < deadline, type + " registered");
            Thread.sleep(20);
        }
    }
}
