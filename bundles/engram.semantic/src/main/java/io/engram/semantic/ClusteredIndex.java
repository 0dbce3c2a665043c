package io.engram.semantic;

import static io.engram.semantic.SemanticKeys.META;
import static io.engram.semantic.SemanticKeys.VECTORS;
import static io.engram.semantic.SemanticKeys.utf8;

import io.engram.api.store.ReadTxn;
import io.engram.api.store.Store;
import io.engram.api.store.WriteTxn;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The approximate index over the stored vectors (an inverted file, "IVF"): the vectors are clustered by spherical
 * k-means, each vector is copied into the list of its nearest centroid, and a search reads the lists whose
 * centroids are most similar to the query, best first, until it has read enough candidates. Everything is in the
 * store, in the callers' transactions, so it is as crash-safe and multi-process-safe as the vectors themselves.
 *
 * <p>Built by generations, like the text index: when the vectors reach {@code clusterFrom} (and again each time
 * they have grown fourfold), a worker samples them, computes centroids outside any transaction, records the new
 * generation as building, then copies the vectors into it in key order, a batch per transaction, with a cursor
 * (resumable by any process after a crash). Writes meanwhile keep every generation that covers their key current.
 * When the cursor reaches the end, the new generation becomes the active one in one transaction and the old one
 * is deleted in batches. Until the first generation is active, searches scan every vector (exact).
 *
 * <p>A search ranks the sign codes of the lists it reads ({@link Vectors#code}, one bit per dimension) and scores
 * only the best of them by their vectors: the codes take an eighth of the bytes, and reading the vectors out of the
 * map was most of a search's time.
 *
 * <p>Keyspaces ({@code g} = generation number, u32; {@code l} = list number, u16; {@code vk} = the vector's key
 * in {@link SemanticKeys#VECTORS}): {@link #CLUSTERS} {@code [g][l]} → centroid (float32 × dimensions);
 * {@link #LISTS} {@code [g][l][vk]} → the vector; {@link #CODES} {@code [g][l][vk]} → its sign code (generations
 * built since codes exist: {@link Generation#coded}); {@link #ASSIGNED} {@code [g][vk]} → {@code l}. Meta entries in
 * {@link SemanticKeys#META}: {@code clusters.active}, {@code clusters.building} (each {@code [g][lists][vectors
 * when trained: u64][id: u64][1 when coded]}), {@code clusters.cursor} (the last vector key copied into the
 * building generation), {@code clusters.next} and {@code clusters.drop} (generations still to delete). See
 * docs/SEMANTIC.md.
 */
final class ClusteredIndex {

    static final String CLUSTERS = "semantic.clusters";
    static final String LISTS = "semantic.lists";
    static final String CODES = "semantic.codes";
    static final String ASSIGNED = "semantic.assigned";

    private static final byte[] ACTIVE = utf8("clusters.active");
    private static final byte[] BUILDING = utf8("clusters.building");
    private static final byte[] CURSOR = utf8("clusters.cursor");
    private static final byte[] NEXT = utf8("clusters.next");
    private static final byte[] DROP = utf8("clusters.drop");

    /** A new generation is built once the vectors have grown this many times since the active one was trained. */
    static final int GROWTH = 4;
    /** Vectors sampled per list to train the centroids (k-means wants a few dozen per cluster). */
    static final int SAMPLE_PER_LIST = 40;
    static final int ITERATIONS = 10;
    static final int MIN_LISTS = 16;
    static final int MAX_LISTS = 4_096;
    /** Vectors copied into a building generation per write transaction. */
    static final int COPY_BATCH = 2_000;
    /** Candidates whose vectors a search scores after ranking codes: this many per place in its ranking ... */
    private static final int SHORTLIST_PER_PLACE = 4;
    /** ... and at least this many. */
    private static final int SHORTLIST_MIN = 400;
    /** Keys of a dropped generation deleted per write transaction. */
    static final int DROP_BATCH = 10_000;

    private static final int GENERATION_BYTES = 4;
    private static final int LIST_BYTES = 2;
    /** Where the vector key starts in a {@link #LISTS} key. */
    static final int LIST_KEY_OFFSET = GENERATION_BYTES + LIST_BYTES;

    /**
     * One generation: its number, list count, how many vectors there were when it was trained, a random id
     * (numbers can repeat after a restore from backup; the id tells cached centroids from another generation's),
     * and whether it keeps sign codes ({@link #CODES}; one built before them does not, and is rebuilt).
     */
    record Generation(int number, int lists, long trainedOn, long id, boolean coded) {

        private static final int BYTES = 24;

        byte[] bytes() {
            return ByteBuffer.allocate(BYTES + 1).putInt(number).putInt(lists).putLong(trainedOn).putLong(id)
                    .put((byte) (coded ? 1 : 0)).array();
        }

        static Generation of(byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            return new Generation(in.getInt(), in.getInt(), in.getLong(), in.getLong(),
                    bytes.length > BYTES && bytes[BYTES] == 1);
        }
    }

    /** The index's meta entries as one transaction sees them. */
    record State(Generation active, Generation building, byte[] cursor, int[] dropping, int next) {

        static State of(ReadTxn txn) {
            byte[] next = txn.get(META, NEXT);
            return new State(Generation.of(txn.get(META, ACTIVE)), Generation.of(txn.get(META, BUILDING)),
                    txn.get(META, CURSOR), ints(txn.get(META, DROP)), next == null ? 1 : ByteBuffer.wrap(next).getInt());
        }

        /**
         * The generations a write to the vector under {@code vectorKey} must update: the active one, and the
         * building one once its copy has passed that key.
         */
        List<Generation> covering(byte[] vectorKey) {
            List<Generation> covering = new ArrayList<>(2);
            if (active != null) {
                covering.add(active);
            }
            if (building != null && Arrays.compareUnsigned(vectorKey, cursor) <= 0) {
                covering.add(building);
            }
            return covering;
        }

        /**
         * Whether a new generation should be trained over {@code vectors} vectors: none is being built, and
         * there is none yet and they reached {@code clusterFrom}, or they grew {@link #GROWTH}-fold since the
         * active one was trained, or the active one has no codes.
         */
        boolean buildDue(long vectors, long clusterFrom) {
            return building == null && (active == null ? vectors >= clusterFrom
                    : vectors >= (long) GROWTH * active.trainedOn() || !active.coded());
        }
    }

    private final int dimensions;
    /** Centroids by generation: written once before a generation is used, never changed. */
    private final ConcurrentMap<Generation, float[][]> centroids = new ConcurrentHashMap<>();

    ClusteredIndex(int dimensions) {
        this.dimensions = dimensions;
    }

    // ---- the write side, in the caller's transaction ----

    /** The vector under {@code vectorKey} is now {@code vector} (in {@link SemanticKeys#VECTORS}). */
    void stored(WriteTxn txn, byte[] vectorKey, byte[] vector) {
        for (Generation generation : State.of(txn).covering(vectorKey)) {
            place(txn, generation, vectorKey, vector);
        }
    }

    /** The vector under {@code vectorKey} is gone. */
    void removed(WriteTxn txn, byte[] vectorKey) {
        for (Generation generation : State.of(txn).covering(vectorKey)) {
            unplace(txn, generation.number(), vectorKey);
        }
    }

    private void place(WriteTxn txn, Generation generation, byte[] vectorKey, byte[] vector) {
        unplace(txn, generation.number(), vectorKey);
        put(txn, generation, vectorKey, vector, KMeans.nearest(centroids(txn, generation), vector));
    }

    private static void put(WriteTxn txn, Generation generation, byte[] vectorKey, byte[] vector, int list) {
        byte[] listKey = listKey(generation.number(), list, vectorKey);
        txn.put(LISTS, listKey, vector);
        if (generation.coded()) {
            txn.put(CODES, listKey, Vectors.code(vector));
        }
        txn.put(ASSIGNED, assignedKey(generation.number(), vectorKey),
                ByteBuffer.allocate(LIST_BYTES).putShort((short) list).array());
    }

    private static void unplace(WriteTxn txn, int generation, byte[] vectorKey) {
        byte[] key = assignedKey(generation, vectorKey);
        byte[] list = txn.get(ASSIGNED, key);
        if (list != null) {
            byte[] listKey = listKey(generation, ByteBuffer.wrap(list).getShort() & 0xffff, vectorKey);
            txn.delete(LISTS, listKey);
            txn.delete(CODES, listKey);
            txn.delete(ASSIGNED, key);
        }
    }

    // ---- searching ----

    /**
     * Offers {@code ranking} the vectors of the lists nearest to {@code query} in the active generation, nearest
     * list first, until at least {@code candidates} vectors were read and the ranking can be filled (or every
     * list was read: a small namespace in a large store is thus searched exactly, at the cost of one seek per
     * list). In a coded generation the lists' codes are read instead and only the best few hundred by code are
     * scored by their vectors; every vector read is scored when the caller asks for it (a search meant to be
     * exact), or when {@code accept} is asked as the ranking fills (a filter few memories pass: any candidate
     * may be the one it takes).
     *
     * @param namespaces the namespaces searched, or null for every one
     * @return false when there is no active generation (the caller scans every vector instead)
     */
    boolean search(ReadTxn txn, float[] query, List<String> namespaces, Ranking ranking, long candidates,
            boolean scoreEveryVector) {
        Generation active = Generation.of(txn.get(META, ACTIVE));
        if (active == null) {
            return false;
        }
        int[] lists = nearestLists(centroids(txn, active), query);
        if (active.coded() && !scoreEveryVector && ranking.vetsLate()) {
            int shortlist = Math.max(SHORTLIST_MIN, SHORTLIST_PER_PLACE * ranking.capacity());
            Shortlist best = new Shortlist(Vectors.codeTable(query), shortlist);
            readLists(txn, active, lists, CODES, namespaces, best::offer,
                    () -> best.offered() >= candidates && best.size() >= ranking.capacity());
            best.scoreVectors(txn, ranking);
        } else {
            readLists(txn, active, lists, LISTS, namespaces,
                    (key, value, namespace) -> ranking.offer(key, LIST_KEY_OFFSET, value, namespace),
                    () -> ranking.full() && ranking.offered() >= candidates);
        }
        return true;
    }

    /** What a search does with each entry of a list: its key, its value, and its namespace when known. */
    private interface ListVisitor {
        boolean visit(ByteBuffer key, ByteBuffer value, String namespace);
    }

    /** Reads {@code keyspace}'s entries of {@code lists}, in order, until {@code enough} says so after a list. */
    private static void readLists(ReadTxn txn, Generation active, int[] lists, String keyspace, List<String> namespaces,
            ListVisitor visitor, java.util.function.BooleanSupplier enough) {
        List<byte[]> prefixes = namespaces == null ? null
                : namespaces.stream().map(SemanticKeys::namespacePrefix).toList();
        for (int list : lists) {
            byte[] listPrefix = listKey(active.number(), list, new byte[0]);
            if (prefixes == null) {
                txn.scanPrefixInPlace(keyspace, listPrefix, (key, value) -> visitor.visit(key, value, null));
            } else {
                for (int i = 0; i < prefixes.size(); i++) {
                    String namespace = namespaces.get(i);
                    txn.scanPrefixInPlace(keyspace, concat(listPrefix, prefixes.get(i)),
                            (key, value) -> visitor.visit(key, value, namespace));
                }
            }
            if (enough.getAsBoolean()) {
                break;
            }
        }
    }

    /** The candidates with the best code estimates ({@link Vectors#estimate}); a key is copied only on entering. */
    private static final class Shortlist {

        private record Candidate(float estimate, byte[] key, String namespace) {
        }

        private final float[][] table;
        private final int size;
        private final byte[] code;
        private final PriorityQueue<Candidate> best; // worst first
        private long offered;
        private boolean dropped;

        Shortlist(float[][] table, int size) {
            this.table = table;
            this.size = size;
            this.code = new byte[table.length];
            this.best = new PriorityQueue<>(size + 1, java.util.Comparator.comparingDouble(Candidate::estimate));
        }

        boolean offer(ByteBuffer key, ByteBuffer value, String namespace) {
            offered++;
            if (value.remaining() != code.length) {
                return true; // another format's, replaced once the backfill reaches it
            }
            value.get(value.position(), code);
            float estimate = Vectors.estimate(table, code);
            if (best.size() >= size) {
                dropped = true;
                if (estimate <= best.peek().estimate()) {
                    return true;
                }
                best.poll();
            }
            byte[] keyBytes = new byte[key.remaining()];
            key.get(key.position(), keyBytes);
            best.add(new Candidate(estimate, keyBytes, namespace));
            return true;
        }

        long offered() {
            return offered;
        }

        int size() {
            return best.size();
        }

        /** Offers {@code ranking} the vectors of the candidates kept, in key order (the order the map holds them). */
        void scoreVectors(ReadTxn txn, Ranking ranking) {
            List<Candidate> kept = new ArrayList<>(best);
            kept.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
            for (Candidate candidate : kept) {
                byte[] vector = txn.get(LISTS, candidate.key());
                if (vector != null) {
                    ranking.offer(ByteBuffer.wrap(candidate.key()), LIST_KEY_OFFSET, ByteBuffer.wrap(vector),
                            candidate.namespace());
                }
            }
            if (dropped) {
                ranking.candidatesDroppedBefore();
            }
        }
    }

    /** List numbers, the centroid most similar to {@code query} first. */
    static int[] nearestLists(float[][] centroids, float[] query) {
        double[] similarity = new double[centroids.length];
        Integer[] lists = new Integer[centroids.length];
        for (int list = 0; list < centroids.length; list++) {
            similarity[list] = Vectors.dot(centroids[list], query);
            lists[list] = list;
        }
        Arrays.sort(lists, (a, b) -> Double.compare(similarity[b], similarity[a]));
        return Arrays.stream(lists).mapToInt(Integer::intValue).toArray();
    }

    // ---- building, copying and dropping generations, on the semantic worker ----

    /**
     * Does one step of upkeep: deletes a batch of a dropped generation, copies a batch into the building one (or
     * makes it active), or trains a new generation when the vectors reached {@code clusterFrom} or grew
     * {@link #GROWTH}-fold.
     *
     * @return whether there was anything to do (the worker calls again at once if so)
     */
    boolean maintain(Store store, long clusterFrom) {
        State state = store.read(State::of);
        if (state.dropping().length > 0) {
            drop(store, state.dropping()[0]);
            return true;
        }
        if (state.building() != null) {
            copyBatch(store, state);
            return true;
        }
        long vectors = store.read(txn -> txn.count(VECTORS));
        if (!state.buildDue(vectors, clusterFrom)) {
            return false;
        }
        train(store, state, vectors);
        return true;
    }

    /** The list count for {@code vectors} vectors: about their square root. */
    static int listsFor(long vectors) {
        return (int) Math.max(MIN_LISTS, Math.min(MAX_LISTS, Math.round(Math.sqrt(vectors))));
    }

    private void train(Store store, State seen, long vectors) {
        int lists = listsFor(vectors);
        List<byte[]> sample = store.read(txn -> sample(txn, (int) Math.min(vectors, (long) lists * SAMPLE_PER_LIST),
                new Random(vectors)));
        if (sample.size() < lists) {
            return; // removed meanwhile: looked at again at the next step
        }
        float[][] trained = KMeans.train(sample, lists, ITERATIONS, vectors);
        store.write(txn -> {
            State now = State.of(txn);
            if (now.building() != null || !sameGeneration(now.active(), seen.active())) {
                return null; // another process began one meanwhile
            }
            Generation generation = new Generation(now.next(), lists, vectors, new Random().nextLong(), true);
            for (int list = 0; list < lists; list++) {
                ByteBuffer centroid = ByteBuffer.allocate(trained[list].length * Float.BYTES);
                for (float value : trained[list]) {
                    centroid.putFloat(value);
                }
                txn.put(CLUSTERS, listKey(generation.number(), list, new byte[0]), centroid.array());
            }
            txn.put(META, BUILDING, generation.bytes());
            txn.put(META, CURSOR, new byte[0]);
            txn.put(META, NEXT, ByteBuffer.allocate(4).putInt(generation.number() + 1).array());
            return null;
        });
    }

    /** A uniform random sample (reservoir) of up to {@code size} stored vectors of the current format. */
    private List<byte[]> sample(ReadTxn txn, int size, Random random) {
        int length = Vectors.encodedLength(dimensions);
        List<byte[]> sample = new ArrayList<>(size);
        long[] seen = {0};
        txn.scan(VECTORS, null, (key, value) -> {
            if (value.length != length) {
                return true;
            }
            long index = seen[0]++;
            if (sample.size() < size) {
                sample.add(value);
            } else {
                long slot = (long) (random.nextDouble() * (index + 1));
                if (slot < size) {
                    sample.set((int) slot, value);
                }
            }
            return true;
        });
        return sample;
    }

    /** Copies the next vectors after the cursor into the building generation, or makes it active at the end. */
    private void copyBatch(Store store, State seen) {
        Generation building = seen.building();
        List<byte[][]> read = store.read(txn -> entriesAfter(txn, seen.cursor(), null, COPY_BATCH));
        if (read.isEmpty()) {
            activate(store, seen);
            return;
        }
        // the nearest centroids are found outside the write transaction, which holds every writer up
        float[][] centroids = store.read(txn -> centroids(txn, building));
        Map<ByteBuffer, Placed> placed = new HashMap<>();
        for (byte[][] entry : read) {
            placed.put(ByteBuffer.wrap(entry[0]), new Placed(entry[1], KMeans.nearest(centroids, entry[1])));
        }
        byte[] end = read.get(read.size() - 1)[0];
        store.write(txn -> {
            State now = State.of(txn);
            if (!sameGeneration(now.building(), building) || !Arrays.equals(now.cursor(), seen.cursor())) {
                return null; // another process copied this batch meanwhile
            }
            // Read the range again in this transaction: vectors written, changed or removed since the batch was
            // read are copied as they are now.
            for (byte[][] entry : entriesAfter(txn, seen.cursor(), end, Integer.MAX_VALUE)) {
                Placed before = placed.get(ByteBuffer.wrap(entry[0]));
                int list = before != null && Arrays.equals(before.value(), entry[1]) ? before.list()
                        : KMeans.nearest(centroids, entry[1]);
                put(txn, building, entry[0], entry[1], list);
            }
            txn.put(META, CURSOR, end);
            return null;
        });
    }

    /**
     * Up to {@code max} vectors of the current format stored after {@code cursor} and (unless null) up to
     * {@code end}, as {key, value} pairs in key order.
     */
    private List<byte[][]> entriesAfter(ReadTxn txn, byte[] cursor, byte[] end, int max) {
        int length = Vectors.encodedLength(dimensions);
        List<byte[][]> entries = new ArrayList<>();
        txn.scan(VECTORS, from(cursor), (key, value) -> {
            if (end != null && Arrays.compareUnsigned(key, end) > 0) {
                return false;
            }
            if (!Arrays.equals(key, cursor) && value.length == length) {
                entries.add(new byte[][] {key, value});
            }
            return entries.size() < max;
        });
        return entries;
    }

    void activate(Store store, State seen) {
        store.write(txn -> {
            State now = State.of(txn);
            if (!sameGeneration(now.building(), seen.building()) || !Arrays.equals(now.cursor(), seen.cursor())
                    || !entriesAfter(txn, now.cursor(), null, 1).isEmpty()) {
                return null; // moved on, or a vector was written past the cursor since it was read: copy it first
            }
            if (now.active() != null) {
                int[] dropping = Arrays.copyOf(now.dropping(), now.dropping().length + 1);
                dropping[dropping.length - 1] = now.active().number();
                txn.put(META, DROP, bytes(dropping));
            }
            txn.put(META, ACTIVE, now.building().bytes());
            txn.delete(META, BUILDING);
            txn.delete(META, CURSOR);
            return null;
        });
    }

    /** Deletes a batch of the entries of dropped generation {@code generation}; forgets it when none are left. */
    private void drop(Store store, int generation) {
        byte[] prefix = ByteBuffer.allocate(GENERATION_BYTES).putInt(generation).array();
        store.write(txn -> {
            int deleted = 0;
            for (String keyspace : List.of(LISTS, CODES, ASSIGNED, CLUSTERS)) {
                List<byte[]> keys = new ArrayList<>();
                int room = DROP_BATCH - deleted;
                if (room <= 0) {
                    break;
                }
                txn.scanPrefix(keyspace, prefix, (key, value) -> {
                    keys.add(key);
                    return keys.size() < room;
                });
                keys.forEach(key -> txn.delete(keyspace, key));
                deleted += keys.size();
            }
            if (deleted == 0) {
                int[] dropping = Arrays.stream(State.of(txn).dropping()).filter(g -> g != generation).toArray();
                if (dropping.length == 0) {
                    txn.delete(META, DROP);
                } else {
                    txn.put(META, DROP, bytes(dropping));
                }
            }
            return null;
        });
        centroids.keySet().removeIf(cached -> cached.number() == generation);
    }

    // ---- status ----

    /** What {@code system_status} says of the index: exact, or the active generation, and any build under way or due. */
    Map<String, Object> status(ReadTxn txn, long clusterFrom) {
        State state = State.of(txn);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("kind", state.active() == null ? "exact" : "clustered");
        if (state.active() != null) {
            status.put("lists", state.active().lists());
            status.put("trained_on", state.active().trainedOn());
            status.put("codes", state.active().coded());
        }
        if (state.building() != null) {
            status.put("building_lists", state.building().lists());
        }
        if (state.buildDue(txn.count(VECTORS), clusterFrom)) {
            status.put("build_due", true);
        }
        return status;
    }

    // ---- keys and values ----

    private float[][] centroids(ReadTxn txn, Generation generation) {
        return centroids.computeIfAbsent(generation, absent -> {
            int number = generation.number();
            float[][] read = new float[generation.lists()][];
            txn.scanPrefix(CLUSTERS, ByteBuffer.allocate(GENERATION_BYTES).putInt(number).array(), (key, value) -> {
                int list = ByteBuffer.wrap(key, GENERATION_BYTES, LIST_BYTES).getShort() & 0xffff;
                float[] centroid = new float[value.length / Float.BYTES];
                ByteBuffer.wrap(value).asFloatBuffer().get(centroid);
                read[list] = centroid;
                return true;
            });
            for (float[] centroid : read) {
                if (centroid == null || centroid.length != dimensions) {
                    throw new IllegalStateException("centroids of clustered generation " + number + " are incomplete");
                }
            }
            return read;
        });
    }

    /** Where a scan after {@code cursor} starts (the cursor itself is skipped by the caller). */
    private static byte[] from(byte[] cursor) {
        return cursor.length == 0 ? null : cursor;
    }

    private static boolean sameGeneration(Generation a, Generation b) {
        return a == null ? b == null : a.equals(b);
    }

    static byte[] listKey(int generation, int list, byte[] vectorKey) {
        return ByteBuffer.allocate(LIST_KEY_OFFSET + vectorKey.length).putInt(generation).putShort((short) list)
                .put(vectorKey).array();
    }

    static byte[] assignedKey(int generation, byte[] vectorKey) {
        return ByteBuffer.allocate(GENERATION_BYTES + vectorKey.length).putInt(generation).put(vectorKey).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static int[] ints(byte[] bytes) {
        if (bytes == null) {
            return new int[0];
        }
        int[] values = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).asIntBuffer().get(values);
        return values;
    }

    private static byte[] bytes(int[] values) {
        ByteBuffer out = ByteBuffer.allocate(values.length * 4);
        for (int value : values) {
            out.putInt(value);
        }
        return out.array();
    }

    /** A vector as the copy step read it, and the list it goes to. */
    private record Placed(byte[] value, int list) {
    }
}
