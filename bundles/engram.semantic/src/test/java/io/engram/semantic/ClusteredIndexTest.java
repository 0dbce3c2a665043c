package io.engram.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.api.search.SemanticHit;
import io.engram.api.store.Store;
import io.engram.testing.TempStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The clustered (approximate) index on a real LMDB store, through the engine's own write path (queue entries,
 * then the vectors stored as the worker stores them) with synthetic vectors: many tight groups in 384 dimensions,
 * as sentence embeddings are. No model and no worker thread: each step is run by hand.
 */
class ClusteredIndexTest {

    private static final String NS = "proj";
    private static final int GROUPS = 150;

    @RegisterExtension
    final TempStore temp = new TempStore();

    private final Random random = new Random(7);
    private final float[][] groups = new float[GROUPS][];
    private final Map<String, byte[]> expected = new LinkedHashMap<>(); // vector key (as text) -> vector

    ClusteredIndexTest() {
        for (int g = 0; g < GROUPS; g++) {
            groups[g] = gaussian(1);
        }
    }

    private SemanticEngine engine(Store store, long clusterFrom, double share) {
        return new SemanticEngine(store, new SemanticSettings(32, 60_000, clusterFrom, share, 2_000));
    }

    @Test
    void aClusteredSearchFindsWhatTheExactScanFinds() {
        Store store = temp.store();
        SemanticEngine engine = engine(store, 5_000, 0.02);
        add(store, engine, NS, 0, 12_000);
        assertEquals("exact", engine.indexStatus().get("kind"));
        List<float[]> queries = new ArrayList<>();
        List<List<String>> exact = new ArrayList<>();
        for (int q = 0; q < 40; q++) {
            float[] query = near(groups[random.nextInt(GROUPS)]);
            queries.add(query);
            List<String> scanned = ids(engine.nearest(query, Set.of(NS), 10, id -> true));
            assertEquals(bruteForce(query, NS, 10), scanned, "the exact scan is exact");
            exact.add(scanned);
        }

        engine.maintainIndex();
        Map<String, Object> status = engine.indexStatus();
        assertEquals("clustered", status.get("kind"), status.toString());
        assertEquals(ClusteredIndex.listsFor(12_000), status.get("lists"));
        assertConsistent(store);

        double found = 0;
        for (int q = 0; q < queries.size(); q++) {
            List<String> approximate = ids(engine.nearest(queries.get(q), Set.of(NS), 10, id -> true));
            assertEquals(10, approximate.size());
            found += approximate.stream().filter(exact.get(q)::contains).count() / 10.0;
        }
        double recall = found / queries.size();
        assertTrue(recall >= 0.95, "recall@10 against the exact scan: " + recall);

        SemanticEngine everything = engine(store, 5_000, 1.0);
        for (int q = 0; q < queries.size(); q++) {
            assertEquals(exact.get(q), ids(everything.nearest(queries.get(q), Set.of(NS), 10, id -> true)),
                    "reading every list is exact");
        }
    }

    @Test
    void aGenerationBuiltBeforeCodesIsSearchedByItsVectorsUntilACodedOneReplacesIt() {
        Store store = temp.store();
        SemanticEngine engine = engine(store, 5_000, 0.02);
        add(store, engine, NS, 0, 8_000);
        engine.maintainIndex();
        // make the active generation one written before codes: its meta entry without the flag, no codes
        store.write(txn -> {
            byte[] active = txn.get(SemanticKeys.META, SemanticKeys.utf8("clusters.active"));
            txn.put(SemanticKeys.META, SemanticKeys.utf8("clusters.active"), Arrays.copyOf(active, 24));
            List<byte[]> codes = new ArrayList<>();
            txn.scan(ClusteredIndex.CODES, null, (key, value) -> codes.add(key));
            codes.forEach(key -> txn.delete(ClusteredIndex.CODES, key));
            return null;
        });
        assertEquals(false, engine.indexStatus().get("codes"));
        assertEquals(true, engine.indexStatus().get("build_due"), "a generation without codes is rebuilt");
        float[] query = near(groups[3]);
        List<String> exact = bruteForce(query, NS, 10);
        assertTrue(ids(engine.nearest(query, Set.of(NS), 10, id -> true)).containsAll(exact.subList(0, 5)),
                "found by the vectors meanwhile");

        engine.maintainIndex();
        assertEquals(true, engine.indexStatus().get("codes"));
        assertConsistent(store);
        assertTrue(ids(engine.nearest(query, Set.of(NS), 10, id -> true)).containsAll(exact.subList(0, 5)));
    }

    @Test
    void aSmallNamespaceInALargeStoreIsSearchedExactly() {
        Store store = temp.store();
        SemanticEngine engine = engine(store, 5_000, 0.02);
        add(store, engine, NS, 0, 8_000);
        add(store, engine, "tiny", 0, 25);
        engine.maintainIndex();
        assertEquals("clustered", engine.indexStatus().get("kind"));
        for (int q = 0; q < 20; q++) {
            float[] query = near(groups[random.nextInt(GROUPS)]);
            assertEquals(bruteForce(query, "tiny", 10), ids(engine.nearest(query, Set.of("tiny"), 10, id -> true)));
        }
        // every namespace (null) is searched too, with each hit's namespace
        List<SemanticHit> all = engine.nearest(near(groups[0]), null, 5, id -> true);
        assertEquals(5, all.size());
        all.forEach(hit -> assertTrue(hit.namespace().equals(NS) || hit.namespace().equals("tiny"), hit.toString()));
    }

    @Test
    void acceptIsAskedAboutTheBestFirstAndARestrictiveOneStillGetsTheBestItTakes() {
        Store store = temp.store();
        SemanticEngine engine = engine(store, 5_000, 1.0); // clustered, reading every list: exact
        add(store, engine, NS, 0, 6_000);
        for (SemanticEngine searching : List.of(engine(store, 1_000_000, 1.0), engine)) {
            if (searching == engine) {
                engine.maintainIndex();
            }
            float[] query = near(groups[5]);
            List<String> asked = new ArrayList<>();
            List<String> found = ids(searching.nearest(query, Set.of(NS), 10, id -> asked.add(id)));
            assertEquals(bruteForce(query, NS, 10), found);
            assertEquals(found, asked, "asked about the ten best only, best first");

            // one memory in 50 passes: the ten best of those, though most of the best are refused
            java.util.function.Predicate<String> rare = id -> Integer.parseInt(id.substring(id.length() - 6)) % 50 == 0;
            List<String> expectedRare = expected.keySet().stream()
                    .map(key -> SemanticKeys.vectorId(key.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
                    .filter(rare)
                    .sorted(Comparator.<String>comparingDouble(id -> -Vectors.cosine(query,
                            expected.get(keyText(NS, id)))).thenComparing(Comparator.naturalOrder()))
                    .limit(10).toList();
            assertEquals(expectedRare, ids(searching.nearest(query, Set.of(NS), 10, rare)));
        }
    }

    @Test
    void writesDuringABuildReachTheNewGenerationAndTheOldOneIsDropped() {
        Store store = temp.store();
        SemanticEngine engine = engine(store, 3_000, 0.02);
        add(store, engine, NS, 0, 4_000);
        engine.maintainIndex();
        assertConsistent(store);
        assertEquals(4_000L, engine.indexStatus().get("trained_on"));

        add(store, engine, NS, 4_000, 16_000); // fourfold: a new generation is due
        ClusteredIndex builder = new ClusteredIndex(MiniLmEmbedder.DIMENSIONS);
        assertTrue(builder.maintain(store, 3_000)); // trains
        assertTrue(builder.maintain(store, 3_000)); // copies the first batch
        assertEquals(ClusteredIndex.listsFor(16_000), engine.indexStatus().get("building_lists"));
        // changes on both sides of the cursor, and removals
        add(store, engine, NS, 0, 50); // changed vectors, already copied
        add(store, engine, NS, 15_900, 16_100); // changed and new, not yet copied
        remove(store, engine, NS, 100, 200);
        remove(store, engine, NS, 9_000, 9_100);
        engine.maintainIndex(); // another instance (a restarted process) finishes the build
        assertEquals(16_000L, engine.indexStatus().get("trained_on"));
        assertConsistent(store);
        assertEquals(0L, (long) store.read(txn -> {
            long[] left = {0};
            byte[] first = ByteBuffer.allocate(4).putInt(1).array();
            for (String keyspace : List.of(ClusteredIndex.LISTS, ClusteredIndex.ASSIGNED, ClusteredIndex.CLUSTERS)) {
                txn.scanPrefix(keyspace, first, (key, value) -> ++left[0] > 0);
            }
            return left[0];
        }), "the first generation is deleted");
        float[] query = near(groups[3]);
        assertTrue(ids(engine.nearest(query, Set.of(NS), 10, id -> true)).stream()
                .allMatch(id -> expected.containsKey(new String(SemanticKeys.vectorKey(NS, id),
                        java.nio.charset.StandardCharsets.ISO_8859_1))), "removed vectors are not found");
    }

    @Test
    void aVectorWrittenPastTheCursorJustBeforeTheSwitchIsCopiedFirst() {
        Store store = temp.store();
        SemanticEngine engine = engine(store, 3_000, 0.02);
        add(store, engine, NS, 0, 3_000);
        ClusteredIndex builder = new ClusteredIndex(MiniLmEmbedder.DIMENSIONS);
        byte[] last = store.read(txn -> {
            byte[][] seen = {null};
            txn.scan(SemanticKeys.VECTORS, null, (key, value) -> {
                seen[0] = key;
                return true;
            });
            return seen[0];
        });
        // copy until the cursor is at the last vector: the next step would make the generation active
        ClusteredIndex.State copied;
        do {
            assertTrue(builder.maintain(store, 3_000));
            copied = store.read(ClusteredIndex.State::of);
        } while (copied.building() == null || !Arrays.equals(last, copied.cursor()));
        add(store, engine, NS, 3_000, 3_010); // after the cursor: not in the building generation yet
        builder.activate(store, copied); // as a step that read the state before those writes does
        assertTrue(store.read(ClusteredIndex.State::of).building() != null, "not switched with vectors left");
        engine.maintainIndex();
        assertConsistent(store);
    }

    @Test
    void twoProcessesBuildingAtOnceMakeOneGeneration() throws Exception {
        Store store = temp.store();
        SemanticEngine engine = engine(store, 3_000, 0.02);
        add(store, engine, NS, 0, 6_000);
        AtomicLong failures = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            SemanticEngine other = engine(store, 3_000, 0.02);
            Thread thread = new Thread(() -> {
                try {
                    other.maintainIndex();
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    throw e;
                }
            });
            threads.add(thread);
            thread.start();
        }
        add(store, engine, NS, 6_000, 7_000); // writes go on meanwhile
        for (Thread thread : threads) {
            thread.join();
        }
        engine.maintainIndex();
        assertEquals(0, failures.get());
        assertConsistent(store);
        assertEquals("clustered", engine.indexStatus().get("kind"));
    }

    // ---- helpers ----

    /** Stores vectors {@code from} until {@code to} of {@code namespace} through the engine's write path. */
    private void add(Store store, SemanticEngine engine, String namespace, int from, int to) {
        Map<String, float[]> vectors = new LinkedHashMap<>();
        String text = "text " + random.nextLong();
        store.write(txn -> {
            for (int i = from; i < to; i++) {
                String id = id(namespace, i);
                vectors.put(id, near(groups[i % GROUPS]));
                engine.textChanged(txn, namespace, id, text + " " + id);
            }
            return null;
        });
        while (true) {
            List<SemanticEngine.Queued> batch = engine.queued(1_000);
            if (batch.isEmpty()) {
                break;
            }
            List<byte[]> encoded = new ArrayList<>();
            for (SemanticEngine.Queued queued : batch) {
                byte[] vector = Vectors.encode(vectors.get(SemanticKeys.string(queued.key())));
                encoded.add(vector);
                expected.put(keyText(namespace, SemanticKeys.string(queued.key())), vector);
            }
            engine.storeVectors(batch, encoded);
        }
    }

    private void remove(Store store, SemanticEngine engine, String namespace, int from, int to) {
        store.write(txn -> {
            for (int i = from; i < to; i++) {
                engine.removed(txn, namespace, id(namespace, i));
                expected.remove(keyText(namespace, id(namespace, i)));
            }
            return null;
        });
    }

    private static String id(String namespace, int i) {
        return String.format("%s_%06d", namespace, i);
    }

    private static String keyText(String namespace, String id) {
        return new String(SemanticKeys.vectorKey(namespace, id), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The active generation holds exactly the stored vectors, each once, in its nearest list. */
    private void assertConsistent(Store store) {
        store.read(txn -> {
            ClusteredIndex.State state = ClusteredIndex.State.of(txn);
            assertTrue(state.active() != null && state.building() == null, state.toString());
            int generation = state.active().number();
            long[] vectors = {0};
            txn.scan(SemanticKeys.VECTORS, null, (key, value) -> {
                vectors[0]++;
                byte[] list = txn.get(ClusteredIndex.ASSIGNED, ClusteredIndex.assignedKey(generation, key));
                assertTrue(list != null, "assigned");
                int number = ByteBuffer.wrap(list).getShort() & 0xffff;
                byte[] listKey = ClusteredIndex.listKey(generation, number, key);
                assertTrue(Arrays.equals(value, txn.get(ClusteredIndex.LISTS, listKey)), "listed with its value");
                assertTrue(Arrays.equals(Vectors.code(value), txn.get(ClusteredIndex.CODES, listKey)), "and its code");
                return true;
            });
            assertEquals(expected.size(), vectors[0], "vectors stored");
            long[] listed = {0};
            txn.scanPrefix(ClusteredIndex.LISTS, ByteBuffer.allocate(4).putInt(generation).array(),
                    (key, value) -> ++listed[0] > 0);
            assertEquals(vectors[0], listed[0], "no entry besides the vectors' own");
            long[] coded = {0};
            txn.scanPrefix(ClusteredIndex.CODES, ByteBuffer.allocate(4).putInt(generation).array(),
                    (key, value) -> ++coded[0] > 0);
            assertEquals(vectors[0], coded[0], "no code besides the vectors' own");
            return null;
        });
    }

    private List<String> bruteForce(float[] query, String namespace, int limit) {
        String prefix = new String(SemanticKeys.namespacePrefix(namespace), java.nio.charset.StandardCharsets.ISO_8859_1);
        return expected.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .sorted(Comparator.<Map.Entry<String, byte[]>>comparingDouble(e -> -Vectors.cosine(query, e.getValue()))
                        .thenComparing(e -> SemanticKeys.vectorId(e.getKey().getBytes(
                                java.nio.charset.StandardCharsets.ISO_8859_1))))
                .limit(limit)
                .map(e -> SemanticKeys.vectorId(e.getKey().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
                .toList();
    }

    private static List<String> ids(List<SemanticHit> hits) {
        return hits.stream().map(SemanticHit::id).toList();
    }

    /** A unit vector near {@code center}: about 0.75 cosine, like related sentences. */
    private float[] near(float[] center) {
        float[] noise = gaussian(0.9);
        float[] vector = new float[center.length];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = center[i] + noise[i];
        }
        return Vectors.normalized(vector);
    }

    private float[] gaussian(double length) {
        float[] vector = new float[MiniLmEmbedder.DIMENSIONS];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) random.nextGaussian();
        }
        float[] unit = Vectors.normalized(vector);
        for (int i = 0; i < unit.length; i++) {
            unit[i] *= length;
        }
        return unit;
    }
}
