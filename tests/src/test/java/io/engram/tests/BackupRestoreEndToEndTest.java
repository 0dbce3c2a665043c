package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hot backup taken by one host while another host keeps writing to the same store, restored
 * into a fresh data folder: everything acknowledged before the backup started is there. A
 * restore is refused while another process has the store open, naming it.
 */
class BackupRestoreEndToEndTest {

    /** Writes per episode, so that one episode listing (limit 100) shows them all. */
    private static final int EPISODE_SIZE = 100;

    @TempDir
    Path temp;

    /** One acknowledged write. */
    private record Write(String episode, String id) {
    }

    @Test
    void backupWhileAnotherProcessWritesRestoresEveryEarlierWriteIntoAFreshFolder() throws Exception {
        Path data = temp.resolve("data");
        Path backup = temp.resolve("backup");
        Path fresh = temp.resolve("fresh");
        List<Write> acknowledged = new CopyOnWriteArrayList<>();
        List<Write> beforeBackup;
        try (McpProcess writer = McpProcess.start(data); McpProcess admin = McpProcess.start(data)) {
            writer.initialize("2025-11-25");
            admin.initialize("2025-11-25");
            AtomicBoolean writing = new AtomicBoolean(true);
            CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
                for (int n = 0; writing.get(); n++) {
                    String episode = "backup-e" + n / EPISODE_SIZE;
                    try {
                        JsonObject added = writer.callToolOk("memory_add", Map.of(
                                "content", "backed up note " + Words.of(n), "layer_hint", "LTM", "episode_id", episode));
                        acknowledged.add(new Write(episode, added.get("id").getAsString()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            while (acknowledged.size() < 500 && !writes.isDone()) {
                Thread.sleep(20);
            }

            beforeBackup = List.copyOf(acknowledged);
            JsonObject backedUp = admin.callToolOk("system_backup", Map.of("destination", backup.toString()));
            int duringBackup = acknowledged.size() - beforeBackup.size();
            // A restore over a store another process has open is refused, and says who holds it.
            JsonObject refused = admin.callTool("system_restore", Map.of("source", backup.toString()));
            assertTrue(refused.get("isError").getAsBoolean(), refused.toString());
            assertTrue(refused.toString().contains(Long.toString(writer.process.pid())),
                    "names the writer's PID " + writer.process.pid() + ": " + refused);
            Thread.sleep(200); // the writer goes on after the backup as well
            writing.set(false);
            writes.get(30, TimeUnit.SECONDS);
            assertEquals(backup.toString(), backedUp.get("path").getAsString());
            assertTrue(Files.isDirectory(backup) && backedUp.get("bytes").getAsLong() > 0, backedUp.toString());
            System.out.println("Backup: " + beforeBackup.size() + " writes acknowledged before it started, "
                    + duringBackup + " while it ran (" + backedUp + ")");
        }

        try (McpProcess restorer = McpProcess.start(fresh)) {
            restorer.initialize("2025-11-25");
            assertEquals(0, restorer.callToolOk("memory_search", Map.of("q", "")).get("total").getAsInt(),
                    "the fresh folder starts empty");
            JsonObject restored = restorer.callToolOk("system_restore", Map.of("source", backup.toString()));
            assertTrue(restored.get("restored").getAsBoolean(), restored.toString());

            Map<String, Set<String>> expected = beforeBackup.stream().collect(
                    Collectors.groupingBy(Write::episode, Collectors.mapping(Write::id, Collectors.toSet())));
            for (Map.Entry<String, Set<String>> episode : expected.entrySet()) {
                Set<String> listed = new HashSet<>(MemorySearchPages.ids(restorer,
                        Map.of("episode", episode.getKey(), "limit", 100)));
                Set<String> missing = new HashSet<>(episode.getValue());
                missing.removeAll(listed);
                assertEquals(Set.of(), missing, "restored store misses writes of " + episode.getKey());
            }
            // Nothing in the restored store that the writer did not write (its every call was answered).
            Set<String> all = new HashSet<>();
            acknowledged.forEach(write -> all.add(write.id()));
            List<String> unknown = new ArrayList<>();
            int total = restorer.callToolOk("memory_search", Map.of("q", "")).get("total").getAsInt();
            assertTrue(total >= beforeBackup.size() && total <= acknowledged.size(),
                    total + " memories restored; " + beforeBackup.size() + " acknowledged before the backup, "
                            + acknowledged.size() + " in all");
            for (String id : MemorySearchPages.ids(restorer, Map.of("q", "", "limit", 100))) {
                if (!all.contains(id)) {
                    unknown.add(id);
                }
            }
            assertEquals(List.of(), unknown, "every restored memory is one the writer wrote");
        }
    }
}
