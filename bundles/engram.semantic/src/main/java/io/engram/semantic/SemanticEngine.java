package io.engram.semantic;

import static io.engram.semantic.SemanticKeys.BACKFILLED;
import static io.engram.semantic.SemanticKeys.IDS;
import static io.engram.semantic.SemanticKeys.META;
import static io.engram.semantic.SemanticKeys.QUEUE;
import static io.engram.semantic.SemanticKeys.VECTORS;
import static io.engram.semantic.SemanticKeys.string;
import static io.engram.semantic.SemanticKeys.utf8;

import io.engram.api.search.SemanticHit;
import io.engram.api.search.SemanticIndex;
import io.engram.api.store.ReadTxn;
import io.engram.api.store.Store;
import io.engram.api.store.StoreException;
import io.engram.api.store.WriteTxn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The semantic index over a {@link Store}: the write-side calls only queue work in the caller's transaction; one
 * worker thread ({@link #start}) loads the model, then embeds what is queued, in batches, outside any
 * transaction, and stores each vector only if its queue entry is still the one it embedded. A memory changed
 * again meanwhile stays queued for its new text; one removed meanwhile is not brought back. Whatever was queued
 * and not yet stored when the process stops is still queued at the next start. See docs/SEMANTIC.md.
 */
public class SemanticEngine implements SemanticIndex {

    private static final Logger LOG = Logger.getLogger(SemanticEngine.class.getName());

    /** How long a search waits for the model while it loads (at startup it takes about a second). */
    static final long MODEL_WAIT_MS = 60_000;

    /**
     * After a write of this process, how long the worker keeps looking often for it: it is woken inside the
     * writer's transaction, which commits a little later.
     */
    private static final long RECHECK_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long RECHECK_MS = 20;

    /** The wait after a failed storage access, before trying again. */
    private static final long STORE_RETRY_MS = 1_000;
    /** A batch starts at a random one of this many first queue entries (see {@link #queued}). */
    static final int BATCH_SPREAD = 10_000;

    private final Store store;
    private final ClusteredIndex clusters = new ClusteredIndex(MiniLmEmbedder.DIMENSIONS);
    private final CompletableFuture<MiniLmEmbedder> model = new CompletableFuture<>();
    private final AtomicLong embedded = new AtomicLong();
    /** Texts this engine's worker ran through the model, stored or not (for tests of shared work). */
    private final AtomicLong textsEmbedded = new AtomicLong();
    private volatile SemanticSettings settings;

    private final Object wake = new Object();
    private boolean woken; // guarded by wake
    private long lastWriteNanos = System.nanoTime() - RECHECK_WINDOW_NANOS; // guarded by wake

    private Thread worker;
    private volatile boolean stopping;

    public SemanticEngine(Store store, SemanticSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /**
     * Starts the worker thread: it loads the model (and embeds a first text), then drains the queue until
     * {@link #stop}.
     *
     * @param nativeDir where the tokenizer's native library is extracted, or null for the library's default
     */
    public synchronized void start(Path nativeDir) {
        if (worker != null) {
            throw new IllegalStateException("already started");
        }
        worker = new Thread(() -> run(nativeDir), "engram-semantic-embedder");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Stops the worker and waits up to {@code waitMs} for it to end; what is queued stays queued. It ends
     * within one text's embedding, or, while it loads the model, once the load is done: that runs in ONNX
     * Runtime's native code, which no interrupt reaches, and a JVM that exits meanwhile crashes there (its
     * fatal-error banner then goes to stdout). Callers that exit the JVM next should allow for a load
     * (about 1-2 s).
     */
    public synchronized void stop(long waitMs) throws InterruptedException {
        stopping = true;
        if (worker == null) {
            return;
        }
        worker.interrupt();
        worker.join(waitMs);
        if (worker.isAlive()) {
            LOG.warning(() -> "The embedding worker is still " + (model.isDone() ? "embedding" : "loading the model")
                    + " " + waitMs + " ms after the stop; not waiting longer");
        }
    }

    void applySettings(SemanticSettings settings) {
        this.settings = settings;
        wake();
    }

    @Override
    public void textChanged(WriteTxn txn, String namespace, String id, String text) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(text, "text");
        byte[] key = idKey(id);
        if (text.isBlank()) { // nothing to find by meaning
            forget(txn, namespace, key);
            return;
        }
        if (Arrays.equals(txn.get(IDS, key), SemanticKeys.embeddedValue(namespace, text))) {
            txn.delete(QUEUE, key); // this very text is embedded already: drop any other text queued since
            return;
        }
        txn.put(QUEUE, key, SemanticKeys.queueValue(namespace, text));
        wake();
    }

    @Override
    public void removed(WriteTxn txn, String namespace, String id) {
        Objects.requireNonNull(namespace, "namespace");
        forget(txn, namespace, idKey(id));
    }

    private void forget(WriteTxn txn, String namespace, byte[] key) {
        String id = string(key);
        txn.delete(QUEUE, key);
        byte[] stored = txn.get(IDS, key);
        if (stored != null) {
            deleteVector(txn, SemanticKeys.vectorKey(SemanticKeys.embeddedNamespace(stored), id));
            txn.delete(IDS, key);
        }
        deleteVector(txn, SemanticKeys.vectorKey(namespace, id));
    }

    private void deleteVector(WriteTxn txn, byte[] vectorKey) {
        if (txn.delete(VECTORS, vectorKey)) {
            clusters.removed(txn, vectorKey);
        }
    }

    @Override
    public boolean needsBackfill(ReadTxn txn) {
        byte[] marker = txn.get(META, BACKFILLED);
        return marker == null || !MiniLmEmbedder.MODEL_ID.equals(string(marker));
    }

    @Override
    public void backfilled(WriteTxn txn) {
        txn.put(META, BACKFILLED, utf8(MiniLmEmbedder.MODEL_ID));
    }

    @Override
    public List<SemanticHit> nearest(String query, Set<String> namespaces, int limit, Predicate<String> accept) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(accept, "accept");
        if (query.isBlank() || limit <= 0 || (namespaces != null && namespaces.isEmpty())) {
            return List.of(); // a blank query means nothing
        }
        return nearest(model().embed(List.of(query)).get(0), namespaces, limit, accept);
    }

    /** {@link #nearest(String, Set, int, Predicate)} for a query already embedded (a unit vector). */
    List<SemanticHit> nearest(float[] vector, Set<String> namespaces, int limit, Predicate<String> accept) {
        if (limit <= 0 || (namespaces != null && namespaces.isEmpty())) {
            return List.of();
        }
        List<String> searched = namespaces == null ? null : List.copyOf(new TreeSet<>(namespaces));
        return store.read(txn -> {
            List<SemanticHit> hits = search(txn, vector, searched, Ranking.vettingLate(vector, limit, accept));
            if (hits == null) { // accept refused too many of the best: vet each candidate as it comes
                hits = search(txn, vector, searched, Ranking.vettingEarly(vector, limit, accept));
            }
            return hits;
        });
    }

    private List<SemanticHit> search(ReadTxn txn, float[] vector, List<String> namespaces, Ranking ranking) {
        long vectors = txn.count(VECTORS);
        long candidates = settings.searchCandidates(vectors);
        if (!clusters.search(txn, vector, namespaces, ranking, candidates, candidates >= vectors)) {
            scanAll(txn, namespaces, ranking);
        }
        return ranking.hits(txn);
    }

    /** The exact search: offers every vector of the namespaces searched. */
    private static void scanAll(ReadTxn txn, List<String> namespaces, Ranking ranking) {
        if (namespaces == null) {
            txn.scanPrefixInPlace(VECTORS, new byte[0], (key, value) -> ranking.offer(key, 0, value, null));
        } else {
            for (String namespace : namespaces) {
                txn.scanPrefixInPlace(VECTORS, SemanticKeys.namespacePrefix(namespace),
                        (key, value) -> ranking.offer(key, 0, value, namespace));
            }
        }
    }

    @Override
    public long pending() {
        return store.read(txn -> txn.count(QUEUE));
    }

    @Override
    public String modelId() {
        return MiniLmEmbedder.MODEL_ID;
    }

    /** Vectors stored, in every namespace. */
    long vectors() {
        return store.read(txn -> txn.count(VECTORS));
    }

    /** What {@code system_status} says of the approximate index. */
    Map<String, Object> indexStatus() {
        return store.read(txn -> clusters.status(txn, settings.clusterFrom()));
    }

    /** Runs the approximate index's upkeep until nothing is left to do (tests and benchmarks; the worker does it). */
    void maintainIndex() {
        while (clusters.maintain(store, settings.clusterFrom())) {
            // one step per transaction
        }
    }

    /** Texts this process has embedded and stored since it started. */
    long embedded() {
        return embedded.get();
    }

    /** Texts this engine's worker has run through the model, including those another process stored first. */
    long textsEmbedded() {
        return textsEmbedded.get();
    }

    /** "loading", "ready" or "failed: why". */
    String modelState() {
        if (!model.isDone()) {
            return "loading";
        }
        try {
            model.getNow(null);
            return "ready";
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return "failed: " + cause;
        }
    }

    /** The loaded model, waiting for it while it loads. */
    MiniLmEmbedder model() {
        try {
            return model.get(MODEL_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("semantic search is unavailable: the embedding model failed to load: "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("semantic search is unavailable: the embedding model is still loading");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedding model", e);
        }
    }

    private void wake() {
        synchronized (wake) {
            woken = true;
            lastWriteNanos = System.nanoTime();
            wake.notifyAll();
        }
    }

    private void run(Path nativeDir) {
        MiniLmEmbedder loaded;
        try {
            LOG.info(() -> "Loading the embedding model " + MiniLmEmbedder.MODEL_ID);
            long started = System.nanoTime();
            loaded = MiniLmEmbedder.load(nativeDir);
            model.complete(loaded);
            LOG.info(() -> "Semantic search ready: model " + MiniLmEmbedder.MODEL_ID + " loaded in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
        } catch (Throwable e) { // UnsatisfiedLinkError and ExceptionInInitializerError included
            model.completeExceptionally(e);
            LOG.log(Level.SEVERE, "Semantic search is unavailable: the embedding model failed to load", e);
            return;
        }
        while (!stopping) {
            try {
                if (embedBatch(loaded) == 0 && !clusters.maintain(store, settings.clusterFrom())) {
                    awaitWork();
                }
            } catch (InterruptedException e) {
                return;
            } catch (StoreException e) {
                LOG.log(Level.FINE, "Semantic index waits for storage", e);
                if (!pause(STORE_RETRY_MS)) {
                    return;
                }
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                LOG.log(Level.WARNING, "Embedding queued memories failed; trying again", e);
                if (!pause(settings.pollIntervalMs())) {
                    return;
                }
            }
        }
    }

    /**
     * Embeds and stores one batch of queued texts.
     *
     * @return how many queue entries were read (0: the queue is empty)
     */
    int embedBatch(MiniLmEmbedder embedder) throws InterruptedException {
        List<Queued> batch = queued(settings.batchSize());
        if (batch.isEmpty()) {
            return 0;
        }
        List<byte[]> vectors = embed(embedder, batch);
        textsEmbedded.addAndGet(vectors.size());
        embedded.addAndGet(storeVectors(batch, vectors));
        return batch.size();
    }

    /**
     * Up to {@code size} queue entries (a read transaction), in key order from a random one of the queue's first
     * {@link #BATCH_SPREAD} entries, wrapping around to its start. The workers of several processes on one store
     * then take different batches; all taking the queue's first entries, each embedded every batch and only the
     * first to commit kept it (measured: two hosts stored 35 vectors/s together, one alone 90-100). The queue
     * still drains oldest first, a region of {@link #BATCH_SPREAD} at a time.
     */
    List<Queued> queued(int size) {
        return store.read(txn -> {
            byte[] from = randomQueued(txn);
            List<Queued> entries = new ArrayList<>(size);
            if (from == null) {
                return entries;
            }
            txn.scan(QUEUE, from, (key, value) -> {
                entries.add(new Queued(key, value));
                return entries.size() < size;
            });
            txn.scan(QUEUE, null, (key, value) -> {
                if (entries.size() >= size || Arrays.compareUnsigned(key, from) >= 0) {
                    return false;
                }
                entries.add(new Queued(key, value));
                return true;
            });
            return entries;
        });
    }

    /** The key of a random one of the queue's first {@link #BATCH_SPREAD} entries; null when it is empty. */
    private byte[] randomQueued(ReadTxn txn) {
        long queuedNow = txn.count(QUEUE);
        if (queuedNow == 0) {
            return null;
        }
        int skip = ThreadLocalRandom.current().nextInt((int) Math.min(queuedNow, BATCH_SPREAD));
        byte[][] found = new byte[1][];
        int[] seen = {0};
        // in place: the entries skipped hold whole texts, and only the found key is kept
        txn.scanPrefixInPlace(QUEUE, new byte[0], (key, value) -> {
            if (seen[0]++ < skip) {
                return true;
            }
            found[0] = new byte[key.remaining()];
            key.get(key.position(), found[0]);
            return false;
        });
        return found[0];
    }

    /**
     * Stores the vectors of the entries still queued as they were read (one write transaction).
     *
     * @return how many vectors were stored
     */
    int storeVectors(List<Queued> batch, List<byte[]> vectors) {
        return store.write(txn -> {
            int count = 0;
            for (int i = 0; i < batch.size(); i++) {
                if (storeIfUnchanged(txn, batch.get(i), vectors.get(i))) {
                    count++;
                }
            }
            return count;
        });
    }

    /** The stored form of each queued text; null for one the model cannot embed. */
    static List<byte[]> embed(MiniLmEmbedder embedder, List<Queued> batch) throws InterruptedException {
        List<byte[]> vectors = new ArrayList<>(batch.size());
        // One text per call (langchain4j runs the model once per text either way): a stop is heard between
        // texts, and a text the model cannot take is found out alone, so it cannot hold up the queue.
        for (Queued queued : batch) {
            if (Thread.interrupted()) {
                throw new InterruptedException("stopped while embedding a batch; it stays queued");
            }
            try {
                vectors.add(Vectors.encode(embedder.embed(SemanticKeys.queuedText(queued.value()))));
            } catch (RuntimeException e) {
                String id = string(queued.key());
                LOG.log(Level.WARNING, "Memory " + id + " cannot be embedded; it is found by text only", e);
                vectors.add(null);
            }
        }
        return vectors;
    }

    /**
     * Stores {@code vector} for {@code queued} if its queue entry is unchanged, and takes the entry off the queue.
     *
     * @return whether a vector was stored
     */
    private boolean storeIfUnchanged(WriteTxn txn, Queued queued, byte[] vector) {
        if (!Arrays.equals(txn.get(QUEUE, queued.key()), queued.value())) {
            return false; // changed again (stays queued for its new text), removed, or stored by another process
        }
        txn.delete(QUEUE, queued.key());
        if (vector == null) {
            return false;
        }
        String id = string(queued.key());
        String namespace = SemanticKeys.queuedNamespace(queued.value());
        byte[] previous = txn.get(IDS, queued.key());
        if (previous != null && !SemanticKeys.embeddedNamespace(previous).equals(namespace)) {
            deleteVector(txn, SemanticKeys.vectorKey(SemanticKeys.embeddedNamespace(previous), id));
        }
        byte[] vectorKey = SemanticKeys.vectorKey(namespace, id);
        txn.put(VECTORS, vectorKey, vector);
        clusters.stored(txn, vectorKey, vector);
        txn.put(IDS, queued.key(), SemanticKeys.embeddedValue(namespace, SemanticKeys.queuedText(queued.value())));
        return true;
    }

    private void awaitWork() throws InterruptedException {
        synchronized (wake) {
            if (woken) { // written since the last look: look again (it may have committed by now)
                woken = false;
                return;
            }
            boolean recentWrite = System.nanoTime() - lastWriteNanos < RECHECK_WINDOW_NANOS;
            wake.wait(recentWrite ? RECHECK_MS : settings.pollIntervalMs());
            woken = false;
        }
    }

    private boolean pause(long ms) {
        try {
            Thread.sleep(ms);
            return !stopping;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static byte[] idKey(String id) {
        Objects.requireNonNull(id, "id");
        byte[] key = utf8(id);
        if (key.length == 0 || key.length > 200) {
            throw new IllegalArgumentException("memory id must be 1 to 200 bytes: " + id);
        }
        return key;
    }

    /** A queue entry as read: the memory id's key and the namespace and text. */
    record Queued(byte[] key, byte[] value) {
    }
}
