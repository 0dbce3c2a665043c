package io.engram.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status report of a real host started on a temporary data folder. */
class StatusCommandTest {

    @TempDir
    Path data;

    private String report() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StatusCommand.report(data, data.resolve("config"), new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void assertLine(String report, String regex) {
        assertTrue(Pattern.compile("(?m)^" + regex + "$").matcher(report).find(),
                "a line matching " + regex + " in:\n" + report);
    }

    @Test
    void listsBundlesWithStateToolsWithTheirBundleAndTheEffectiveConfig() throws Exception {
        String report = report();

        assertLine(report, "\\s+\\d+\\s+engram\\.memory\\s+\\S+\\s+ACTIVE\\s+engram:engram\\.memory");
        assertLine(report, "\\s+memory_add\\s+engram\\.memory");
        assertLine(report, "  engram\\.storage\\.cfg:");
        assertLine(report, "    path = store");
        assertLine(report, "    engram\\.storage");
        assertTrue(report.contains("Hosts running on this data folder:\n  none\n"), report);
        assertFalse(report.contains("# "), "comments dropped:\n" + report);
    }

    @Test
    void namesTheProcessOfAHostRunningOnTheSameDataFolder() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/locks")), "Linux names lock holders in /proc/locks");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // Another process, as an IDE-launched host is: LMDB must not be opened twice in one process.
        Process other = new ProcessBuilder(java.toString(), "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--data", data.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            Path storeLock = data.resolve(StatusCommand.STORE_LOCK);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!StatusCommand.lockHolders(storeLock).contains(other.pid())) {
                assertTrue(other.isAlive(), "the other host runs");
                assertTrue(System.nanoTime() < deadline, "the other host opened the store");
                Thread.sleep(50);
            }

            String report = report();

            assertLine(report, "  cache slot-0: PID " + other.pid());
            assertLine(report, "  store open in: PID " + other.pid());
            assertLine(report, "\\s+memory_add\\s+engram\\.memory");
            assertTrue(other.isAlive(), "the other host still runs");
            assertEquals(List.of(other.pid()), StatusCommand.lockHolders(data.resolve(RuntimeFolder.SLOTS_FOLDER)
                    .resolve("slot-0").resolve(RuntimeFolder.LOCK_FILE)), "the other host keeps its slot");
        } finally {
            other.getOutputStream().close();
            if (!other.waitFor(10, TimeUnit.SECONDS)) {
                other.destroyForcibly();
            }
        }
    }
}
