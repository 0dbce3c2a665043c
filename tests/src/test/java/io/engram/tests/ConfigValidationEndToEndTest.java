package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An admin edits a config file wrongly while an IDE is connected: the client is told which file,
 * which setting and what is wrong, the last good value stays in force, and the tools keep working.
 */
class ConfigValidationEndToEndTest {

    /** FileInstall acts after two equal scans one second apart; a loaded machine may take longer. */
    private static final Duration FILE_INSTALL = Duration.ofSeconds(30);

    @TempDir
    Path data;

    private static void write(Path file, String text) throws Exception {
        Path next = file.resolveSibling(file.getFileName() + ".edit");
        Files.writeString(next, text, StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void edit(Path file, String from, String to) throws Exception {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.contains(from), file + " has '" + from.strip() + "'");
        write(file, text.replace(from, to));
    }

    /** Host log messages received but not yet awaited: they may come in any order. */
    private final List<JsonObject> received = new ArrayList<>();

    /** The first host warning that contains {@code text}, received already or within the FileInstall time. */
    private JsonObject awaitWarning(McpProcess engram, String text) throws Exception {
        long deadline = System.nanoTime() + FILE_INSTALL.toNanos();
        while (received.stream().noneMatch(message -> message.get("data").getAsString().contains(text))) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            received.add(engram.awaitNotification("notifications/message", left).getAsJsonObject("params"));
        }
        JsonObject message = received.stream()
                .filter(m -> m.get("data").getAsString().contains(text)).findFirst().orElseThrow();
        received.remove(message);
        assertEquals("warning", message.get("level").getAsString(), message.toString());
        return message;
    }

    /** The tool names of each page of tools/list, following the cursors. */
    private static List<Integer> pageSizes(McpProcess engram) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            JsonObject page = engram.result("tools/list", cursor == null ? Map.of() : Map.of("cursor", cursor));
            sizes.add(page.getAsJsonArray("tools").size());
            cursor = page.has("nextCursor") ? page.get("nextCursor").getAsString() : null;
        } while (cursor != null);
        return sizes;
    }

    /** Polls tools/list until its first page has {@code size} tools (a valid edit has no notification). */
    private static void awaitPageSize(McpProcess engram, int size) throws Exception {
        long deadline = System.nanoTime() + FILE_INSTALL.toNanos();
        while (pageSizes(engram).get(0) != size) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pages never became " + size + " long: " + pageSizes(engram) + "\n"
                        + engram.stderr());
            }
            Thread.sleep(200);
        }
    }

    private static void assertMemoryWorks(McpProcess engram, String word) throws Exception {
        String id = engram.callToolOk("memory_add", Map.of("content", "remember " + word)).get("id").getAsString();
        assertEquals(List.of(id), MemoryEndToEndTest.ids(engram.callToolOk("memory_search", Map.of("q", word))));
    }

    @Test
    void badValuesAndUnknownKeysAreReportedAndTheLastGoodSettingsStay() throws Exception {
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-11-25");
            Path cfg = data.resolve("config/engram.mcp.cfg").toRealPath();
            List<Integer> onePage = pageSizes(engram);
            assertEquals(1, onePage.size(), "all tools on one page by default: " + onePage);
            int toolCount = onePage.get(0);
            assertTrue(toolCount > 3, "enough tools to see paging: " + toolCount);
            assertMemoryWorks(engram, "zqbefore");

            // (a) a value that is no number
            edit(cfg, "\npageSize = 100\n", "\npageSize = abc\n");
            JsonObject bad = awaitWarning(engram, "pageSize");
            assertEquals("config file " + cfg + ": pageSize = \"abc\" is not a whole number; keeping 100",
                    bad.get("data").getAsString());
            assertEquals("io.engram.api.config.ConfigReader", bad.get("logger").getAsString());
            assertEquals(List.of(toolCount), pageSizes(engram), "the last good page size stays");
            assertMemoryWorks(engram, "zqafterbad");

            // (b) a misspelled key
            edit(cfg, "\npageSize = abc\n", "\npageSzie = 2\n");
            assertEquals("config file " + cfg + ": unknown setting \"pageSzie\"; known settings: callTimeoutMs,"
                    + " maxMessageBytes, pageSize, startupWaitMs, unloadDrainMs, workerThreads",
                    awaitWarning(engram, "pageSzie").get("data").getAsString());
            assertEquals(List.of(toolCount), pageSizes(engram), "a misspelled setting changes nothing");

            // (c) a valid edit applies live
            edit(cfg, "\npageSzie = 2\n", "\npageSize = 2\n");
            awaitPageSize(engram, 2);
            assertEquals((toolCount + 1) / 2, pageSizes(engram).size());
            assertMemoryWorks(engram, "zqaftervalid");

            // (d) a file FileInstall cannot parse is not applied at all: the page size 3 in it does not apply
            String valid = Files.readString(cfg, StandardCharsets.UTF_8);
            write(cfg, valid.replace("\npageSize = 2\n", "\npageSize = 3\nbroken = \\u12xy\n"));
            String failed = awaitWarning(engram, "Failed to update artifact").get("data").getAsString();
            assertTrue(failed.startsWith("Failed to update artifact " + cfg), failed);
            assertTrue(failed.contains("Unable to parse unicode value: 12xy"), "the problem is named: " + failed);
            assertEquals(2, pageSizes(engram).get(0), "the previous configuration stays");
            assertMemoryWorks(engram, "zqafterunparsable");

            // fixed, the file applies again
            write(cfg, valid.replace("\npageSize = 2\n", "\npageSize = 3\n"));
            awaitPageSize(engram, 3);
            assertMemoryWorks(engram, "zqafterfix");
            assertFalse(engram.stderr().contains("ComponentException"), engram.stderr());
        }
    }

    @Test
    void badValuesAtStartFallBackToTheDefaultsAndTheToolsServe() throws Exception {
        Path config = McpProcess.shippedConfig(data);
        Path cfg = config.resolve("engram.storage.cfg").toRealPath();
        edit(cfg, "\nmaxReaders = 126\n", "\nmaxReaders = abc\nmaxReadrs = 12\n");
        Path memoryCfg = config.resolve("engram.memory.cfg").toRealPath();
        edit(memoryCfg, "\nsearchDefaultLimit = 10\n", "\nsearchDefaultLimit = 200\n");

        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-11-25");
            assertEquals("config file " + cfg + ": maxReaders = \"abc\" is not a whole number; keeping 126",
                    awaitWarning(engram, "maxReaders").get("data").getAsString());
            assertTrue(awaitWarning(engram, "unknown setting \"maxReadrs\"").get("data").getAsString()
                    .startsWith("config file " + cfg + ": "));
            assertEquals("config file " + memoryCfg + ": searchDefaultLimit = 200 and searchMaxLimit = 100:"
                    + " searchMaxLimit must be at least searchDefaultLimit; keeping searchDefaultLimit = 10 and"
                    + " searchMaxLimit = 100", awaitWarning(engram, "searchDefaultLimit").get("data").getAsString());
            assertMemoryWorks(engram, "zqstorage");
            JsonObject storage = engram.callToolOk("system_status", Map.of()).getAsJsonObject("storage");
            assertEquals(126, storage.get("max_readers").getAsInt(), storage.toString());
            assertFalse(engram.stderr().contains("ComponentException"), engram.stderr());
        }
    }
}
