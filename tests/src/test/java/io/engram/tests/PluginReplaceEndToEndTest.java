package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two IDE windows on one data folder (two hosts sharing the store and the deploy folder, each
 * with its own framework) while a plugin is deployed, replaced by a new version under the same
 * file name, and deleted: each client is told of every change, calls the new code as soon as it
 * answers and never the old code after that, and the memory tools both clients keep calling
 * throughout never fail.
 */
class PluginReplaceEndToEndTest {

    private static final String JAR_NAME = "greeter.jar";
    /** FileInstall polls every second and acts on two equal scans; allow for a slow machine. */
    private static final Duration DEPLOY_WAIT = Duration.ofSeconds(10);
    /** How long the new version is called after it first answered, to catch any stale answer. */
    private static final Duration KEEP_CALLING = Duration.ofSeconds(1);

    @TempDir
    Path data;

    @TempDir
    Path jars;

    /** memory_add + memory_search in a loop on a client's own thread, for the whole test. */
    private static final class MemoryLoad implements Runnable {
        final String client;
        final McpProcess host;
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong calls = new AtomicLong();
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());

        MemoryLoad(String client, McpProcess host) {
            this.client = client;
            this.host = host;
        }

        @Override
        public void run() {
            for (int i = 0; running.get(); i++) {
                try {
                    String word = client + Words.of(i);
                    JsonObject added = host.request("tools/call", Map.of("name", "memory_add",
                            "arguments", Map.of("content", "plugin replace load " + word)));
                    JsonObject found = host.request("tools/call", Map.of("name", "memory_search",
                            "arguments", Map.of("q", word, "limit", 3)));
                    for (JsonObject response : List.of(added, found)) {
                        if (isError(response)) {
                            failures.add(response.toString());
                        }
                    }
                    if (!found.toString().contains(word)) {
                        failures.add("memory_search did not find the memory just added: " + found);
                    }
                    calls.addAndGet(2);
                    // A short pause: steady traffic, without saturating two cores for the hosts.
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        }
    }

    private static boolean isError(JsonObject response) {
        if (response.has("error")) {
            return true;
        }
        JsonObject result = response.getAsJsonObject("result");
        return result.has("isError") && result.get("isError").getAsBoolean();
    }

    private static JsonObject greet(McpProcess host, String name) throws Exception {
        return host.request("tools/call", Map.of("name", "greet", "arguments", Map.of("name", name)));
    }

    /** The text of a successful greet answer; fails on anything else. */
    private static String greetingOf(JsonObject response) {
        assertFalse(isError(response), "greet failed: " + response);
        return response.getAsJsonObject("result").getAsJsonArray("content").get(0).getAsJsonObject()
                .get("text").getAsString();
    }

    /** A greet failure the host documents while a tool is being swapped: not (yet) listed, or unloaded mid-call. */
    private static boolean isSwapFailure(JsonObject response) {
        if (response.has("error")) {
            return response.getAsJsonObject("error").get("code").getAsInt() == -32602
                    && response.toString().contains("unknown tool: greet");
        }
        return isError(response) && response.toString().contains("tool greet was unloaded");
    }

    /** Waits for list_changed notices until tools/list shows greet. */
    private static void awaitGreetListed(McpProcess host) throws Exception {
        host.awaitNotification("notifications/tools/list_changed", DEPLOY_WAIT);
        host.awaitTools(names -> names.contains("greet"), DEPLOY_WAIT);
    }

    /**
     * After the replacement is announced: greet may briefly be missing or unloaded, must never
     * answer v1 again, and answers v2 within the deploy wait; then it keeps answering v2 alone.
     */
    private static void awaitV2Only(McpProcess host, String who) throws Exception {
        host.awaitNotification("notifications/tools/list_changed", DEPLOY_WAIT);
        long deadline = System.nanoTime() + DEPLOY_WAIT.toNanos();
        int transientFailures = 0;
        while (true) {
            JsonObject response = greet(host, who);
            if (!isError(response)) {
                assertEquals("hello from v2, " + who, greetingOf(response), "after the replacement was announced");
                break;
            }
            assertTrue(isSwapFailure(response), "greet failed other than by being swapped: " + response);
            transientFailures++;
            assertTrue(System.nanoTime() < deadline, "v2 did not answer within " + DEPLOY_WAIT + "\n" + host.stderr());
            Thread.sleep(5);
        }
        long until = System.nanoTime() + KEEP_CALLING.toNanos();
        int calls = 0;
        while (System.nanoTime() < until) {
            assertEquals("hello from v2, " + who, greetingOf(greet(host, who)), "v2 once it has answered");
            calls++;
        }
        System.out.println(who + ": v2 answered after " + transientFailures + " swap failures; then " + calls
                + " calls, all v2");
    }

    @Test
    void aPluginReplacedAndDeletedUnderTwoClientsServesTheNewCodeAndNeverBreaksTheOthers() throws Exception {
        long began = System.nanoTime();
        Path v1 = PluginJars.build("greeter_v1", jars.resolve("v1"),
                Map.of("Bundle-SymbolicName", "engram.test.greeter", "Bundle-Version", "1.0.0"));
        Path v2 = PluginJars.build("greeter_v2", jars.resolve("v2"),
                Map.of("Bundle-SymbolicName", "engram.test.greeter", "Bundle-Version", "2.0.0"));
        Path deploy = data.resolve("deploy");
        ExecutorService threads = Executors.newCachedThreadPool();
        List<McpProcess> hosts = new ArrayList<>();
        List<MemoryLoad> loads = new ArrayList<>();
        try {
            List<Future<McpProcess>> starting = new ArrayList<>();
            for (int h = 0; h < 2; h++) {
                starting.add(threads.submit(() -> {
                    McpProcess host = McpProcess.start(data);
                    host.initialize("2025-11-25");
                    assertFalse(host.toolNames().contains("greet"), "not deployed yet");
                    return host;
                }));
            }
            for (Future<McpProcess> host : starting) {
                hosts.add(host.get(60, TimeUnit.SECONDS));
            }
            McpProcess a = hosts.get(0);
            McpProcess b = hosts.get(1);
            for (McpProcess host : hosts) {
                MemoryLoad load = new MemoryLoad(host == a ? "a" : "b", host);
                loads.add(load);
                threads.submit(load);
            }
            Thread.sleep(300); // the load is running before the plugin arrives
            hosts.forEach(host -> host.notifications.clear());

            PluginJars.deploy(v1, deploy, JAR_NAME);
            for (McpProcess host : hosts) {
                awaitGreetListed(host);
                assertEquals("hello from v1, A", greetingOf(greet(host, "A")));
            }
            Thread.sleep(200); // any trailing notice of the install lands before the next step
            hosts.forEach(host -> host.notifications.clear());

            long callsBeforeSwap = loads.stream().mapToLong(l -> l.calls.get()).sum();
            PluginJars.deploy(v2, deploy, JAR_NAME);
            awaitV2Only(a, "A");
            awaitV2Only(b, "B");
            assertTrue(a.toolNames().contains("greet") && b.toolNames().contains("greet"));
            for (McpProcess host : hosts) {
                assertTrue(host.stderr().contains("Updating bundle engram.test.greeter"),
                        "an update, not a reinstall:\n" + host.stderr());
            }
            hosts.forEach(host -> host.notifications.clear());

            Files.delete(deploy.resolve(JAR_NAME));
            for (McpProcess host : hosts) {
                host.awaitNotification("notifications/tools/list_changed", DEPLOY_WAIT);
                Set<String> after = host.toolNames();
                assertFalse(after.contains("greet"), "greet gone: " + after);
                assertTrue(after.contains("memory_add"), "the built-in tools stay: " + after);
                JsonObject gone = greet(host, "A");
                assertEquals(-32602, gone.getAsJsonObject("error").get("code").getAsInt(), gone.toString());
                assertTrue(gone.toString().contains("unknown tool: greet"), gone.toString());
            }
            long callsDuringChanges = loads.stream().mapToLong(l -> l.calls.get()).sum() - callsBeforeSwap;

            for (MemoryLoad load : loads) {
                load.running.set(false);
            }
            threads.shutdown();
            assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS), "the memory load stopped");
            for (MemoryLoad load : loads) {
                System.out.println("client " + load.client + ": " + load.calls.get() + " memory calls, "
                        + load.failures.size() + " failed");
                assertTrue(load.failures.isEmpty(), "client " + load.client + " memory calls failed: " + load.failures);
                assertTrue(load.calls.get() > 50, "client " + load.client + " kept calling: " + load.calls.get());
            }
            assertTrue(callsDuringChanges > 50, "the load ran through the replacement: " + callsDuringChanges);
            for (McpProcess host : hosts) {
                assertTrue(host.nonProtocolLines.isEmpty(), "stdout is protocol only: " + host.nonProtocolLines);
            }
            System.out.println("plugin replace under two clients: test " + TimeUnit.NANOSECONDS.toMillis(
                    System.nanoTime() - began) + " ms");
        } finally {
            for (MemoryLoad load : loads) {
                load.running.set(false);
            }
            threads.shutdownNow();
            for (McpProcess host : hosts) {
                host.close();
            }
        }
    }
}
