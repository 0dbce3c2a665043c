package io.engram.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.api.status.StatusContributor;
import io.engram.api.store.StoreAdmin;
import io.engram.api.store.StoreInUseException;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import io.engram.storage.LmdbStore;
import io.engram.storage.StoreSettings;
import io.engram.testing.QuietToolContext;
import io.engram.testing.SchemaCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemToolsTest {

    private static final ToolContext CONTEXT = QuietToolContext.inNamespace("/work/project");

    private static final String NOTES = "test.notes";

    @TempDir
    Path dataDir;

    private LmdbStore store;
    private StorageAccess storage;
    private SystemStatusTool status;
    private Tool backup;
    private Tool restore;
    private Tool cleanup;

    @BeforeEach
    void openStore() {
        store = new LmdbStore(StoreSettings.defaults(dataDir.resolve("store")));
        store.start();
        assertTrue(store.awaitOpen(Duration.ofSeconds(10)));
        storage = new StorageAccess(dataDir, 200);
        storage.bindStore(store);
        storage.bindStoreAdmin(store);
        status = new SystemStatusTool(storage);
        backup = new SystemBackupTool(storage);
        restore = new SystemRestoreTool(storage);
        cleanup = new SystemCleanupTool(storage);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static ToolResult run(Tool tool, Object... namesAndValues) throws Exception {
        Map<String, Object> arguments = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            arguments.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return tool.call(new Arguments(arguments), CONTEXT);
    }

    /** Calls a tool, expects success, and checks the structured content against its output schema. */
    private static Map<String, Object> call(Tool tool, Object... namesAndValues) throws Exception {
        return SchemaCheck.assertStructuredSuccess(tool, run(tool, namesAndValues));
    }

    private void putNotes(String... keys) {
        store.write(txn -> {
            for (String key : keys) {
                txn.put(NOTES, bytes(key), bytes("value of " + key));
            }
            return null;
        });
    }

    private List<String> noteKeys() {
        return store.read(txn -> {
            List<String> keys = new ArrayList<>();
            txn.scan(NOTES, null, (key, value) -> keys.add(new String(key, StandardCharsets.UTF_8)));
            return keys;
        });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> status, String name) {
        return (Map<String, Object>) status.get(name);
    }

    @Test
    void schemasAreNamedPortableObjectSchemas() {
        for (Tool tool : List.of(status, backup, restore, cleanup)) {
            SchemaCheck.assertDescribedTool(tool, "system");
        }
    }

    @Test
    void annotationsTellClientsWhatIsSafe() {
        assertEquals(Boolean.TRUE, status.annotations().readOnlyHint());
        assertEquals(Boolean.FALSE, backup.annotations().readOnlyHint());
        assertEquals(Boolean.FALSE, backup.annotations().destructiveHint());
        assertEquals(Boolean.TRUE, restore.annotations().destructiveHint());
        assertEquals(Boolean.FALSE, restore.annotations().idempotentHint());
        assertEquals(Boolean.TRUE, cleanup.annotations().destructiveHint());
        assertEquals(Boolean.TRUE, cleanup.annotations().idempotentHint());
    }

    @Test
    void statusOfAnOpenStore() throws Exception {
        putNotes("a", "b", "c");
        status.addContributor(new Section("memory", Map.of("stm_count", 2L, "ltm_count", 5L), false));
        status.addContributor(new Section("metrics", Map.of("count", 7L, "p95Ms", 1.5), false));

        Map<String, Object> answer = call(status);
        assertEquals("ok", answer.get("health"));
        assertNull(answer.get("problems"));
        assertTrue((Long) answer.get("uptime_ms") > 0);
        assertEquals("/work/project", answer.get("namespace"), "the session's workspace");
        Map<String, Object> storage = section(answer, "storage");
        assertEquals(dataDir.resolve("store").toString(), storage.get("path"));
        assertEquals("open", storage.get("state"));
        assertEquals(Map.of(NOTES, 3L), storage.get("keyspaces"));
        assertTrue((Long) storage.get("disk_bytes") > 0);
        assertTrue((Long) storage.get("map_bytes") >= (Long) storage.get("used_bytes"));
        assertTrue((Long) storage.get("commits") >= 1);
        assertTrue(((List<?>) storage.get("processes")).contains(ProcessHandle.current().pid()),
                "this process has the store open: " + storage.get("processes"));
        assertEquals(7L, section(answer, "metrics").get("count"));
        Map<String, Object> memory = section(answer, "memory");
        assertEquals(2L, memory.get("stm_count"), "the memory contributor's counts join the system's rss_mb");
        assertEquals(5L, memory.get("ltm_count"));
        if (Files.isReadable(ResidentMemory.PROC_SELF_STATUS)) {
            assertTrue((Double) memory.get("rss_mb") > 1.0, "rss_mb: " + memory);
        }
    }

    @Test
    void statusAnswersAndIsDegradedWhileStorageIsAway() throws Exception {
        storage.unbindStore(store);
        long started = System.nanoTime();
        Map<String, Object> absent = call(status);
        assertTrue(System.nanoTime() - started < 1_000_000_000L, "status must not wait for storage");
        assertEquals("degraded", absent.get("health"));
        assertEquals("unavailable", section(absent, "storage").get("state"));
        assertEquals(List.of("storage is unavailable: the storage bundle is not running"), absent.get("problems"));

        storage.bindStore(store);
        store.close();
        Map<String, Object> closed = call(status);
        assertEquals("degraded", closed.get("health"));
        assertEquals("unavailable", section(closed, "storage").get("state"));
        assertNull(section(closed, "storage").get("disk_bytes"), "no figures of a store that is not open");
    }

    @Test
    void aDegradedOrFailingSectionDegradesHealth() throws Exception {
        status.addContributor(new Section("metrics", Map.of("count", 1L), true));
        Map<String, Object> degraded = call(status);
        assertEquals("degraded", degraded.get("health"));
        assertEquals(List.of("metrics reports a problem"), degraded.get("problems"));

        status.addContributor(new StatusContributor() {
            @Override
            public String section() {
                return "broken";
            }

            @Override
            public Map<String, Object> status() {
                throw new IllegalStateException("cannot count");
            }
        });
        Map<String, Object> failing = status.call(new Arguments(Map.of()), CONTEXT).structuredContent();
        assertEquals(2, ((List<?>) failing.get("problems")).size());
        assertTrue(((List<?>) failing.get("problems")).get(0).toString().contains("cannot count"), failing.toString());
    }

    @Test
    void aContributorCannotReplaceTheSystemsOwnKeys() throws Exception {
        status.addContributor(new Section("storage", Map.of("path", "elsewhere"), false));
        assertEquals(dataDir.resolve("store").toString(), section(call(status), "storage").get("path"));
    }

    @Test
    void backupThenRestoreBringsTheContentsBack() throws Exception {
        putNotes("a", "b", "c");
        Map<String, Object> saved = call(backup);
        Path folder = Path.of((String) saved.get("path"));
        assertEquals(dataDir.resolve("backups"), folder.getParent(), "default destination: <data>/backups/<time>");
        assertTrue(folder.getFileName().toString().matches("\\d{8}T\\d{6}\\.\\d{3}Z"), folder.toString());
        assertTrue((Long) saved.get("bytes") > 0);
        assertEquals(Files.size(folder.resolve("data.mdb")), saved.get("bytes"));

        putNotes("d");
        store.write(txn -> txn.delete(NOTES, bytes("a")));
        assertEquals(List.of("b", "c", "d"), noteKeys());

        Map<String, Object> restored = call(restore, "source", folder.toString());
        assertEquals(true, restored.get("restored"));
        assertEquals(true, restored.get("validated"));
        assertEquals(3L, restored.get("entries"));
        assertEquals(List.of("a", "b", "c"), noteKeys());
    }

    @Test
    void relativePathsAreTakenFromTheDataFolder() throws Exception {
        putNotes("a");
        Map<String, Object> saved = call(backup, "destination", "mine/first");
        assertEquals(dataDir.resolve("mine/first").toString(), saved.get("path"));
        assertEquals(1L, call(restore, "source", "mine/first").get("entries"));
    }

    @Test
    void backupRefusesAFolderThatIsNotEmpty() throws Exception {
        Path used = Files.createDirectories(dataDir.resolve("used"));
        Files.writeString(used.resolve("keep.txt"), "mine");
        ToolResult result = run(backup, "destination", used.toString());
        assertTrue(result.isError());
        assertTrue(result.text().contains(used.toString()), result.text());
        assertEquals("mine", Files.readString(used.resolve("keep.txt")));
    }

    @Test
    void restoreOfAFolderWithoutAStoreIsAnErrorAndChangesNothing() throws Exception {
        putNotes("a");
        Path notABackup = Files.createDirectories(dataDir.resolve("photos"));
        Files.writeString(notABackup.resolve("cat.jpg"), "meow");

        ToolResult result = run(restore, "source", notABackup.toString());
        assertTrue(result.isError());
        assertTrue(result.text().contains(notABackup.toString()) && result.text().contains("data.mdb"),
                result.text());
        assertEquals(List.of("a"), noteKeys());

        assertThrows(InvalidArgumentException.class, () -> run(restore));
    }

    @Test
    void restoreRefusedBecauseOfOtherProcessesNamesThem() throws Exception {
        StorageAccess shared = new StorageAccess(dataDir, 200);
        shared.bindStoreAdmin(new StoreAdmin() {
            @Override
            public BackupResult backup(Path destination) {
                throw new UnsupportedOperationException();
            }

            @Override
            public RestoreResult restore(Path source) {
                throw new StoreInUseException("restore", List.of(4242L, 4343L));
            }

            @Override
            public CleanupResult cleanup(boolean compact) {
                throw new UnsupportedOperationException();
            }
        });
        ToolResult result = run(new SystemRestoreTool(shared), "source", "backups/x");
        assertTrue(result.isError());
        assertTrue(result.text().contains("4242") && result.text().contains("4343"), result.text());
    }

    @Test
    void cleanupReportsWhatItDid() throws Exception {
        byte[] page = new byte[4_000];
        store.write(txn -> {
            for (int i = 0; i < 2_000; i++) {
                txn.put(NOTES, bytes("key-" + i), page);
            }
            return null;
        });
        store.write(txn -> {
            for (int i = 0; i < 2_000; i++) {
                txn.delete(NOTES, bytes("key-" + i));
            }
            return null;
        });
        Map<String, Object> light = call(cleanup);
        assertEquals(0L, light.get("staleReadersCleared"));
        assertEquals(false, light.get("compacted"));
        assertEquals(light.get("bytesBefore"), light.get("bytesAfter"));
        assertEquals(false, light.get("reindexed"));

        Map<String, Object> compacted = call(cleanup, "compact", true, "reindex", true);
        assertEquals(true, compacted.get("compacted"));
        assertEquals(false, compacted.get("reindexed"), "there is no index to rebuild yet");
        assertTrue((Long) compacted.get("bytesAfter") < (Long) compacted.get("bytesBefore"), compacted.toString());
        putNotes("after");
        assertEquals(List.of("after"), noteKeys());
    }

    @Test
    void operationsAnswerStorageUnavailableWhileTheStorageBundleIsAway() throws Exception {
        storage.unbindStoreAdmin(store);
        ToolResult result = run(cleanup);
        assertTrue(result.isError());
        assertTrue(result.text().startsWith("storage unavailable"), result.text());
    }

    /** A status section with fixed content. */
    private record Section(String section, Map<String, Object> status, boolean degraded) implements StatusContributor {
    }
}
