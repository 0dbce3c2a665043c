package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FileInstall applies the config folder about a second after launch, after the handshake. A call
 * made before must still follow the files' settings that decide where data goes: the store folder
 * of config/engram.storage.cfg holds from the first write, and so does the short-term expiry of
 * config/engram.memory.cfg, which is written into each memory. A file FileInstall cannot read delays
 * nothing for long: the host goes on with the defaults and says which file.
 */
class ConfigAtStartupEndToEndTest {

    /** How long to wait for the gate's warning: its deadline (5 s) plus the slack of a loaded machine. */
    private static final Duration GATE_DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path data;

    /** The shipped config folder in the data folder, engram.storage.cfg's path line replaced by {@code pathLines}. */
    private Path configWithStoragePath(String pathLines) throws Exception {
        Path config = McpProcess.shippedConfig(data);
        Path cfg = config.resolve("engram.storage.cfg");
        String text = Files.readString(cfg, StandardCharsets.UTF_8);
        assertTrue(text.contains("\npath = store\n"), "the shipped file sets path = store");
        Files.writeString(cfg, text.replace("\npath = store\n", "\n" + pathLines + "\n"), StandardCharsets.UTF_8);
        return cfg.toRealPath();
    }

    private static String addRightAfterInitialize(McpProcess engram, String content) throws Exception {
        engram.initialize("2025-11-25");
        return engram.callToolOk("memory_add", Map.of("content", content)).get("id").getAsString();
    }

    private static void assertFound(McpProcess engram, String word, String id) throws Exception {
        assertEquals(List.of(id), MemoryEndToEndTest.ids(engram.callToolOk("memory_search", Map.of("q", word))),
                engram.stderr());
    }

    /**
     * The shipped bundles.list starts storage after FileInstall has read the folder; an admin's may
     * start it before (here right after engram.api), so that storage activates with the defaults.
     */
    private void startStorageBeforeFileInstall() throws Exception {
        Path list = data.resolve("config/bundles.list");
        String text = Files.readString(list, StandardCharsets.UTF_8);
        String storage = "\nengram.lmdb\nengram.storage\n";
        assertTrue(text.contains(storage) && text.contains("\nengram.api\n"), text);
        Files.writeString(list, text.replace(storage, "\n").replace("\nengram.api\n", "\nengram.api" + storage),
                StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "storage started before FileInstall: {0}")
    @ValueSource(booleans = {false, true})
    void theFirstWriteLandsInTheStoreFolderTheConfigFileNames(boolean storageFirst) throws Exception {
        Path elsewhere = data.resolve("elsewhere");
        configWithStoragePath("path = elsewhere");
        if (storageFirst) {
            startStorageBeforeFileInstall();
        }

        String id;
        try (McpProcess engram = McpProcess.start(data)) {
            id = addRightAfterInitialize(engram, "zqearly written before the config folder was applied");
            assertEquals(0, engram.closeStdinAndWait(Duration.ofSeconds(30)), engram.stderr());
            assertFalse(engram.stderr().contains("Opening database " + data.resolve("store")),
                    "the default store folder was opened:\n" + engram.stderr());
        }
        assertFalse(Files.exists(data.resolve("store")), "the default store folder exists");
        assertTrue(Files.isRegularFile(elsewhere.resolve("data.mdb")), "the configured store has a database");

        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-11-25");
            assertFound(engram, "zqearly", id);
            JsonObject storage = engram.callToolOk("system_status", Map.of()).getAsJsonObject("storage");
            assertEquals(elsewhere.toRealPath().toString(), storage.get("path").getAsString(), storage.toString());
        }
        assertFalse(Files.exists(data.resolve("store")), "the default store folder exists");
    }

    @Test
    void theFirstMemoryAddedExpiresAfterTheTimeTheConfigFileSets() throws Exception {
        configWithStoragePath("path = store");
        Path memoryCfg = data.resolve("config/engram.memory.cfg");
        String text = Files.readString(memoryCfg, StandardCharsets.UTF_8);
        assertTrue(text.contains("\nstmTtlMs = 3600000\n"), "the shipped file sets the default expiry");
        Files.writeString(memoryCfg, text.replace("\nstmTtlMs = 3600000\n", "\nstmTtlMs = 86400000\n"));

        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-11-25");
            JsonObject added = engram.callToolOk("memory_add", Map.of("content", "zqexpiry written at once"));
            assertEquals(86_400_000L, added.get("expires_at").getAsLong() - added.get("created_at").getAsLong(),
                    added.toString());
        }
    }

    @Test
    void aStorageFileFileInstallCannotReadMeansTheDefaultsAfterABoundedWaitWithAWarningNamingIt() throws Exception {
        // an escape Properties cannot parse: FileInstall rejects the whole file, so its path never applies
        Path cfg = configWithStoragePath("path = elsewhere\nbroken = \\u12xy");

        try (McpProcess engram = McpProcess.start(data)) {
            String id = addRightAfterInitialize(engram, "zqlate written with the defaults");
            List<String> messages = new ArrayList<>();
            long deadline = System.nanoTime() + GATE_DEADLINE.toNanos();
            // the messages from before the gate gave up, and its own
            while (messages.stream().noneMatch(w -> w.contains("was not applied"))) {
                Duration left = Duration.ofNanos(deadline - System.nanoTime());
                JsonObject message = engram.awaitNotification("notifications/message", left).getAsJsonObject("params");
                messages.add(message.get("level").getAsString() + " " + message.get("data").getAsString());
            }
            assertTrue(messages.contains("warning config file " + cfg + " was not applied within 5000 ms of start"
                    + " (look for an earlier message about it); engram.storage goes on with its defaults until it is"),
                    messages.toString());
            assertTrue(messages.stream().anyMatch(w -> w.startsWith("error Failed to install artifact: " + cfg + ": ")
                    && w.contains("Unable to parse unicode value: 12xy")),
                    "FileInstall's own message names the problem: " + messages);
            assertFound(engram, "zqlate", id);
            JsonObject storage = engram.callToolOk("system_status", Map.of()).getAsJsonObject("storage");
            assertEquals(data.resolve("store").toRealPath().toString(), storage.get("path").getAsString());
            assertFalse(Files.exists(data.resolve("elsewhere")), "a path from a file never applied was used");
        }
    }
}
