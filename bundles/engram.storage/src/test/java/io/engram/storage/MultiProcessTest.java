package io.engram.storage;

import static io.engram.storage.Bytes.b;
import static io.engram.storage.Bytes.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes share one store: both write at once, the map grows under both, nothing is lost. */
class MultiProcessTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    Path tmp;

    static StoreSettings settings(Path dir) {
        return StoreSettings.defaults(dir).withMapSize(MIB, 256 * MIB);
    }

    @Test
    void twoProcessesWriteAtOnceAndSeeEachOthersWritesAcrossMapGrowth() throws Exception {
        Path dir = tmp.resolve("store");
        int peerWrites = 300;
        byte[] value = new byte[16 * 1024];
        try (CapturedLogs logs = new CapturedLogs(); LmdbStore store = new LmdbStore(settings(dir))) {
            store.start();
            assertTrue(store.awaitOpen(Duration.ofSeconds(10)));
            Process peer = new ProcessBuilder(PeerJvm.command(PeerWriter.class,
                    dir.toString(), "peer:", Integer.toString(peerWrites), Integer.toString(value.length)))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<String> ours = new ArrayList<>();
            try {
                for (int i = 0; peer.isAlive() || i < 20; i++) {
                    String key = "ours:" + i;
                    store.write(txn -> {
                        txn.put("shared", b(key), value);
                        return null;
                    });
                    ours.add(key);
                }
                assertTrue(peer.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, peer.exitValue());
                int acknowledgedByPeer = 0;
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
                    while (out.readLine() != null) {
                        acknowledgedByPeer++;
                    }
                }
                assertEquals(peerWrites, acknowledgedByPeer);
            } finally {
                peer.destroyForcibly();
            }
            assertEquals(peerWrites + ours.size(), count(store, "shared"));
            for (String key : ours) {
                assertTrue(store.read(txn -> txn.get("shared", b(key))) != null, key);
            }
            assertTrue(store.read(txn -> txn.get("shared", b("peer:" + (peerWrites - 1)))) != null);
            assertTrue(store.status().mapSize() >= 8 * MIB, "map size " + store.status().mapSize());
            assertTrue(logs.messages(Level.INFO).stream().anyMatch(m -> m.startsWith("Took the map size a peer")
                    || m.startsWith("Grew the map")), logs.messages(Level.INFO).toString());
        }
    }

    @Test
    void aWriteReadsAKeyspaceAPeerCreatedSinceThisProcessLooked() throws Exception {
        Path dir = tmp.resolve("store");
        try (LmdbStore store = new LmdbStore(settings(dir))) {
            store.start();
            assertTrue(store.awaitOpen(Duration.ofSeconds(10)));
            Bytes.put(store, "ours", "k", "v");
            Process peer = new ProcessBuilder(PeerJvm.command(PeerWriter.class,
                    dir.toString(), "peer:", "3", "16"))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(peer.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, peer.exitValue());

            // No read in between: the first look at the peer's keyspace is from inside a write.
            List<String> seen = store.write(txn -> {
                List<String> keys = new ArrayList<>();
                txn.scan("shared", null, (k, v) -> keys.add(new String(k, StandardCharsets.UTF_8)));
                txn.put("ours", b("peer keys"), b(Integer.toString(keys.size())));
                return keys;
            });
            assertEquals(List.of("peer:0", "peer:1", "peer:2"), seen);
            // and the next write, after the writer took in the peer's keyspace
            assertEquals("3", store.write(txn -> new String(txn.get("ours", b("peer keys")), StandardCharsets.UTF_8)));
            assertTrue(store.write(txn -> txn.get("shared", b("peer:1"))) != null);
        }
    }

    @Test
    void aMapGrownByAPeerIsAdopted() throws Exception {
        Path dir = tmp.resolve("store");
        int peerWrites = 300;
        try (CapturedLogs logs = new CapturedLogs(); LmdbStore store = new LmdbStore(settings(dir))) {
            store.start();
            assertTrue(store.awaitOpen(Duration.ofSeconds(10)));
            Bytes.put(store, "shared", "ours", "v");
            Process peer = new ProcessBuilder(PeerJvm.command(PeerWriter.class,
                    dir.toString(), "peer:", Integer.toString(peerWrites), Integer.toString(16 * 1024)))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(peer.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, peer.exitValue());

            assertEquals(peerWrites + 1, count(store, "shared"));
            Bytes.put(store, "shared", "ours again", "v");
            assertEquals(peerWrites + 2, count(store, "shared"));
            assertTrue(logs.messages(Level.INFO).stream().anyMatch(m -> m.startsWith("Took the map size a peer")),
                    logs.messages(Level.INFO).toString());
        }
    }
}
