package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One store, several IDE windows: three hosts (three JVMs) on one data folder write and read
 * at the same time; each sees the others' acknowledged writes, and nothing fails.
 */
class MultiProcessEndToEndTest {

    private static final int HOSTS = 3;
    private static final int WRITERS_PER_HOST = 2;
    private static final Duration WRITING = Duration.ofSeconds(10);
    /** Writes per episode, so that one episode listing (limit 100) shows them all. */
    private static final int EPISODE_SIZE = 100;

    @TempDir
    Path data;

    /** One acknowledged write. */
    private record Write(int host, String episode, String word, String id) {
    }

    @Test
    void threeHostsWriteOneStoreConcurrentlyAndEachReadsEveryAcknowledgedWrite() throws Exception {
        List<McpProcess> hosts = new ArrayList<>();
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            // Started together on a fresh folder: they also race to create the config and the store.
            List<Future<McpProcess>> starting = new ArrayList<>();
            for (int h = 0; h < HOSTS; h++) {
                starting.add(threads.submit(() -> {
                    McpProcess host = McpProcess.start(data);
                    host.initialize("2025-11-25");
                    host.result("tools/list", Map.of());
                    return host;
                }));
            }
            for (Future<McpProcess> host : starting) {
                hosts.add(host.get(60, TimeUnit.SECONDS));
            }

            List<Write> acknowledged = new CopyOnWriteArrayList<>();
            List<String> errors = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger peerReads = new AtomicInteger();
            AtomicInteger words = new AtomicInteger();
            long until = System.nanoTime() + WRITING.toNanos();
            List<Future<?>> writers = new ArrayList<>();
            for (int h = 0; h < HOSTS; h++) {
                for (int w = 0; w < WRITERS_PER_HOST; w++) {
                    int host = h;
                    String writer = "h" + h + "w" + w;
                    writers.add(threads.submit(() -> {
                        writeAndReadPeers(hosts.get(host), host, writer, until, words, acknowledged, peerReads,
                                errors);
                        return null;
                    }));
                }
            }
            for (Future<?> writer : writers) {
                writer.get(WRITING.toSeconds() + 60, TimeUnit.SECONDS);
            }
            assertEquals(List.of(), errors, "no call failed");
            assertTrue(peerReads.get() > 0, "hosts read each other's writes while writing");

            // Every acknowledged write, from every host, is readable from each host.
            Map<String, Set<String>> idsByEpisode = acknowledged.stream().collect(
                    Collectors.groupingBy(Write::episode, Collectors.mapping(Write::id, Collectors.toSet())));
            List<Future<?>> checks = new ArrayList<>();
            for (McpProcess host : hosts) {
                checks.add(threads.submit(() -> {
                    for (Map.Entry<String, Set<String>> episode : idsByEpisode.entrySet()) {
                        Set<String> listed = new HashSet<>(MemorySearchPages.ids(host,
                                Map.of("episode", episode.getKey(), "limit", 100)));
                        Set<String> missing = new HashSet<>(episode.getValue());
                        missing.removeAll(listed);
                        assertEquals(Set.of(), missing, "host " + host.process.pid() + " misses writes of episode "
                                + episode.getKey());
                    }
                    return null;
                }));
            }
            for (Future<?> check : checks) {
                check.get(120, TimeUnit.SECONDS);
            }
            // Each host's system_status sees the shared store: every host's PID, every memory.
            Set<Long> pids = hosts.stream().map(host -> host.process.pid()).collect(Collectors.toSet());
            for (McpProcess host : hosts) {
                JsonObject status = host.callToolOk("system_status", Map.of());
                JsonObject storage = status.getAsJsonObject("storage");
                Set<Long> listed = new HashSet<>();
                storage.getAsJsonArray("processes").forEach(pid -> listed.add(pid.getAsLong()));
                assertTrue(listed.containsAll(pids), "status of " + host.process.pid() + " lists " + pids + ": " + status);
                assertEquals("ok", status.get("health").getAsString(), status.toString());
                assertEquals(acknowledged.size(), status.getAsJsonObject("memory").get("ltm_count").getAsInt(),
                        status.toString());
            }
            int[] perHost = new int[HOSTS];
            acknowledged.forEach(write -> perHost[write.host()]++);
            for (int h = 0; h < HOSTS; h++) {
                assertTrue(perHost[h] > 0, "host " + h + " wrote");
            }
            System.out.println("Multi-process: " + HOSTS + " hosts, " + acknowledged.size() + " acknowledged writes "
                    + Arrays.toString(perHost) + " and " + peerReads.get()
                    + " reads of peers' writes in " + WRITING.toSeconds() + " s; all readable from every host");

            for (McpProcess host : hosts) {
                assertEquals(0, host.closeStdinAndWait(Duration.ofSeconds(10)), host.stderr());
                List<String> problems = host.stderr().lines()
                        .filter(line -> line.contains(" ERROR ") || line.contains(" WARN ")).toList();
                assertEquals(List.of(), problems, "host " + host.process.pid() + " logged no warning or error");
            }
        } finally {
            threads.shutdownNow();
            for (McpProcess host : hosts) {
                host.close();
            }
        }
    }

    /**
     * One writer: acknowledged memory_add calls one after another until the time is up; every
     * fifth, a search on this host for a write another host has acknowledged must find it.
     */
    private static void writeAndReadPeers(McpProcess engram, int host, String writer, long until,
            AtomicInteger words, List<Write> acknowledged, AtomicInteger peerReads, List<String> errors) {
        int written = 0;
        while (System.nanoTime() < until && errors.isEmpty()) {
            String word = Words.of(words.getAndIncrement());
            String episode = writer + "e" + written / EPISODE_SIZE;
            try {
                JsonObject result = engram.callTool("memory_add", Map.of("content", "shared store note " + word,
                        "layer_hint", "LTM", "episode_id", episode));
                if (result.get("isError").getAsBoolean()) {
                    errors.add(writer + " memory_add: " + result);
                    return;
                }
                acknowledged.add(new Write(host, episode,
                        word, result.getAsJsonObject("structuredContent").get("id").getAsString()));
                written++;
                if (written % 5 == 0) {
                    readPeerWrite(engram, host, writer, acknowledged, peerReads, errors);
                }
            } catch (Exception e) {
                errors.add(writer + ": " + e + "\n" + engram.stderr());
                return;
            }
        }
    }

    private static void readPeerWrite(McpProcess engram, int host, String writer, List<Write> acknowledged,
            AtomicInteger peerReads, List<String> errors) throws Exception {
        List<Write> peers = acknowledged.stream().filter(write -> write.host() != host).toList();
        if (peers.isEmpty()) {
            return;
        }
        Write peer = peers.get(ThreadLocalRandom.current().nextInt(peers.size()));
        JsonObject result = engram.callTool("memory_search", Map.of("q", peer.word(), "limit", 1));
        JsonObject found = result.getAsJsonObject("structuredContent");
        String top = found == null || found.getAsJsonArray("results").isEmpty() ? null
                : found.getAsJsonArray("results").get(0).getAsJsonObject().get("id").getAsString();
        if (!peer.id().equals(top)) {
            errors.add(writer + " did not find host " + peer.host() + "'s acknowledged write " + peer + ": " + result);
        } else {
            peerReads.incrementAndGet();
        }
    }
}
