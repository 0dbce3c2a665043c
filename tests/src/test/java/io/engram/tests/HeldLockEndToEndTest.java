package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store whose lock another process holds at open (on Linux LMDB's open then blocks): the
 * host still answers its handshake at once, storage tools say "storage unavailable ...
 * retrying" instead of hanging, and they work as soon as the lock is released.
 */
class HeldLockEndToEndTest {

    private static final long HOLD_AT_LEAST_MS = 2500;

    @TempDir
    Path data;

    @Test
    void handshakeStaysFastStorageReportsUnavailableThenWorksAfterRelease() throws Exception {
        try (McpProcess first = McpProcess.start(data)) {
            first.initialize("2025-11-25");
            first.callToolOk("memory_add", Map.of("content", "zqbefore: written before the lock", "layer_hint", "LTM"));
            assertEquals(0, first.closeStdinAndWait(Duration.ofSeconds(10)), first.stderr());
        }
        // A short wait for the store, so the call made while the lock is held answers quickly.
        Path storageConfig = data.resolve("config/engram.storage.cfg");
        String config = Files.readString(storageConfig);
        assertTrue(config.contains("callWaitMs = 5000"), config);
        Files.writeString(storageConfig, config.replace("callWaitMs = 5000", "callWaitMs = 300"));

        Process holder = startLockHolder(data.resolve("store/lock.mdb"));
        BufferedReader holderOut = new BufferedReader(
                new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", holderOut.readLine());
        long lockedAt = System.nanoTime();
        long spawned = System.nanoTime();
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-11-25");
            JsonObject tools = engram.result("tools/list", Map.of());
            long handshakeMs = millisSince(spawned);
            assertTrue(tools.toString().contains("\"memory_add\""), tools.toString());
            // Answered while the lock is held, so storage cannot have opened: the handshake does not
            // wait for it (no time bound asserted here; the figure is printed below and cold-start
            // times are in docs/BENCHMARKS.md).

            long callStarted = System.nanoTime();
            JsonObject unavailable = engram.callTool("memory_add", Map.of("content", "zqrefused: written while locked"));
            long callMs = millisSince(callStarted);
            String text = unavailable.getAsJsonArray("content").get(0).getAsJsonObject().get("text").getAsString();
            assertTrue(unavailable.get("isError").getAsBoolean(), unavailable.toString());
            assertTrue(text.startsWith("storage unavailable: ") && text.endsWith("; retrying"), text);

            awaitLog(engram, "Database locked, retrying in", Duration.ofSeconds(10));
            // Once an open attempt has timed out on the lock, the answer says why.
            JsonObject locked = engram.callTool("memory_search", Map.of("q", "zqbefore"));
            assertTrue(locked.get("isError").getAsBoolean(), locked.toString());
            assertTrue(locked.toString().contains("storage unavailable: database locked by another process; retrying"),
                    locked.toString());
            JsonObject status = engram.callToolOk("system_status", Map.of());
            assertEquals("degraded", status.get("health").getAsString(), status.toString());
            assertEquals("opening", status.getAsJsonObject("storage").get("state").getAsString(), status.toString());
            long heldMs = millisSince(lockedAt);
            if (heldMs < HOLD_AT_LEAST_MS) {
                Thread.sleep(HOLD_AT_LEAST_MS - heldMs);
            }
            holder.getOutputStream().close();
            assertEquals("released", holderOut.readLine());
            long releasedAt = System.nanoTime();

            JsonObject added = null;
            while (added == null && millisSince(releasedAt) < 10_000) {
                JsonObject result = engram.callTool("memory_add", Map.of("content", "zqafter: written after the release",
                        "layer_hint", "LTM"));
                if (!result.get("isError").getAsBoolean()) {
                    added = result.getAsJsonObject("structuredContent");
                }
            }
            long recoveredMs = millisSince(releasedAt);
            assertTrue(added != null && added.has("id"), "a write succeeds after the release\n" + engram.stderr());
            assertEquals(1, hits(engram, "zqbefore"), "the memory written before the lock is there");
            assertEquals(1, hits(engram, "zqafter"), "the write after the release is there");
            assertEquals(0, hits(engram, "zqrefused"), "the refused write was not applied later");
            assertTrue(engram.stderr().contains("Database opened"), engram.stderr());
            assertEquals("ok", engram.callToolOk("system_status", Map.of()).get("health").getAsString());
            System.out.println("Held lock: handshake " + handshakeMs + " ms, unavailable answer in " + callMs
                    + " ms (\"" + text + "\"), first write " + recoveredMs + " ms after the release");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Runs {@link LockHolder} in its own JVM: a lock held by another process, as a peer or dying host would. */
    static Process startLockHolder(Path lockFile) throws Exception {
        Path testClasses = Path.of(LockHolder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return new ProcessBuilder(McpProcess.javaBin(), "-cp", testClasses.toString(), LockHolder.class.getName(),
                lockFile.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void awaitLog(McpProcess engram, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!engram.stderr().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in the log within " + timeout + ":\n" + engram.stderr());
            }
            Thread.sleep(50);
        }
    }

    private static int hits(McpProcess engram, String word) throws Exception {
        return engram.callToolOk("memory_search", Map.of("q", word)).getAsJsonArray("results").size();
    }

    private static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }
}
