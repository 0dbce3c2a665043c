package io.engram.memory;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.ToNumberPolicy;
import io.engram.api.search.SemanticHit;
import io.engram.api.search.SemanticIndex;
import io.engram.api.store.Store;
import io.engram.api.store.WriteTxn;
import io.engram.api.tool.ToolContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import io.engram.text.index.PreparedDocument;
import io.engram.text.index.TextHit;
import io.engram.text.index.TextIndex;
import io.engram.text.index.TextResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The memory engine: adds, searches, updates and deletes memories kept as JSON records in
 * the store's {@code memory.*} keyspaces. Each operation runs in one store transaction, so
 * concurrent callers and processes never lose each other's updates. Time comes from the
 * given clock; short-term memories expire {@link MemorySettings#stmTtlMs()} after they are
 * added and are never seen again after that.
 *
 * <p>With {@link MentionLinks} (the knowledge graph running) each memory is linked to the entities
 * it mentions in the same transaction as the memory itself: added, replaced when the content
 * changes, removed with the memory. An expired memory is deleted, with its links, by
 * {@link #purgeExpired} and whenever an update or delete meets it, so it stops counting as a mention.
 */
public class MemoryEngine {

    /** Keyspace of the memories, keyed by id. */
    public static final String RECORDS = "memory.records";
    /** Keyspace of deleted memories kept on request, keyed by id, with {@code deleted_at}. */
    public static final String BACKUP = "memory.backup";

    private static final Logger LOG = Logger.getLogger(MemoryEngine.class.getName());
    // metadata values decode as Long or Double, the same as tool arguments
    private static final Gson GSON = new GsonBuilder()
            .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
            .disableHtmlEscaping()
            .create();

    /** Most expired memories {@link #purgeExpired} deletes in one transaction. */
    static final int PURGE_BATCH = 500;

    /** Records a rebuild of the text index reads and indexes per transaction. */
    static final int REBUILD_BATCH = 500;
    /** Keys of a replaced index generation deleted per transaction. */
    static final int DROP_BATCH = 20_000;
    /** Hybrid searches whose text half can run beside their semantic half at once. */
    static final int SEARCH_HELPERS = 4;
    /** Times an update is retried when another writer changed the memory while it was being analyzed. */
    private static final int UPDATE_ATTEMPTS = 20;

    private final Store store;
    private final Clock clock;
    private final MemoryTextIndex textIndex = new MemoryTextIndex();
    private final Object rebuilding = new Object();
    private volatile MemorySettings settings;
    private volatile MentionLinks links;
    private volatile SemanticIndex semantic;
    /**
     * Runs the text half of a hybrid search while the calling thread runs the semantic half (the query's
     * embedding and the vector search), so a search takes the longer of the two rather than their sum.
     * Threads come when searches do and go after a few idle seconds; when all are busy, or after
     * {@link #stopSearchHelpers()}, the calling thread runs both halves itself.
     */
    private final ExecutorService searchHelpers = new ThreadPoolExecutor(0, SEARCH_HELPERS, 5, TimeUnit.SECONDS,
            new SynchronousQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "engram-memory-search");
                thread.setDaemon(true);
                return thread;
            }, (task, executor) -> task.run());

    public MemoryEngine(Store store, Clock clock, MemorySettings settings) {
        this(store, clock, settings, null);
    }

    /** @param links null when memories are not linked to entities */
    public MemoryEngine(Store store, Clock clock, MemorySettings settings, MentionLinks links) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.links = links;
    }

    /** Links memories to entities through {@code newLinks} from now on. */
    protected synchronized void setMentionLinks(MentionLinks newLinks) {
        links = newLinks;
    }

    /** Stops linking through {@code leaving}, unless another has replaced it already. */
    protected synchronized void unsetMentionLinks(MentionLinks leaving) {
        if (links == leaving) {
            links = null;
        }
    }

    /** Queues memories for {@code index} from now on and ranks with it too. */
    protected synchronized void setSemanticIndex(SemanticIndex index) {
        semantic = index;
    }

    /** Stops using {@code leaving}, unless another has replaced it already. */
    protected synchronized void unsetSemanticIndex(SemanticIndex leaving) {
        if (semantic == leaving) {
            semantic = null;
        }
    }

    /** The semantic index in use, or null. */
    public SemanticIndex semanticIndex() {
        return semantic;
    }

    /** What writes keep in step with the records, as it is now. */
    private Derived derived() {
        return new Derived(textIndex, links, semantic);
    }

    /** The settings in force. */
    public MemorySettings settings() {
        return settings;
    }

    /**
     * The settings whose values a write stores (the expiry of a short-term memory); called before
     * the write, outside any transaction. A subclass may wait here until its configuration is in force.
     */
    protected MemorySettings settingsForWrites() {
        return settings;
    }

    /** Replaces the settings; the time to live applies to memories added from now on. */
    protected void applySettings(MemorySettings newSettings) {
        settings = Objects.requireNonNull(newSettings, "settings");
    }

    /** Stores a new memory, version 1, and returns it once it is durably committed. */
    public Memory add(NewMemory request) {
        return addLinked(request).memory();
    }

    /**
     * Stores a new memory, version 1, linked to the entities it names and those the request lists,
     * all in one transaction; returns once it is durably committed.
     *
     * @throws io.engram.api.tool.InvalidArgumentException when a listed entity name cannot be one
     */
    public AddOutcome addLinked(NewMemory request) {
        Objects.requireNonNull(request.content(), "content");
        Objects.requireNonNull(request.namespace(), "namespace");
        long stmTtlMs = settingsForWrites().stmTtlMs();
        long now = clock.millis();
        Layer layer = request.layer() == null ? Layer.STM : request.layer();
        Long expiresAt = layer == Layer.STM ? now + stmTtlMs : null;
        List<DocRef> references = request.references() == null || request.references().isEmpty()
                ? null
                : List.copyOf(request.references());
        List<String> named = request.entities() == null || request.entities().isEmpty()
                ? null
                : List.copyOf(new LinkedHashSet<>(request.entities()));
        Derived derived = derived();
        if (derived.mentions() != null && named != null) {
            derived.mentions().checkNames("entities", named);
        }
        Memory memory = new Memory(MemoryIds.next(now), request.namespace(), request.content(), request.metadata(),
                references, layer, request.sessionId(), request.episodeId(), 1, now, now, expiresAt, named);
        byte[] key = key(memory.id());
        byte[] value = encode(memory);
        PreparedDocument indexed = textIndex.prepare(memory); // analysis stays out of the write transaction
        List<String> linked = store.write(txn -> {
            // the index first: on a store without memories it starts here, empty, before this one is stored
            List<String> names = derived.stored(txn, memory, indexed, true);
            txn.put(RECORDS, key, value);
            return names;
        });
        return new AddOutcome(memory, linked);
    }

    /**
     * Finds the visible memories of the query's namespaces that pass its filters. With query text they are
     * ranked by the text index (BM25F over content, metadata and entity names; memories matching no term are
     * left out); without, they are listed newest first with score 0. With {@link SearchQuery#after()} only
     * the hits ranked after that position are returned (the total still counts every match).
     *
     * <p>Until the index is built (the first start on memories stored before it existed, or a rebuild after
     * an analyzer change) the memories are scanned and ranked with plain BM25 instead.
     */
    public SearchResult search(SearchQuery query) {
        SemanticIndex vectors = semantic;
        SearchMode mode = query.mode() == null ? (vectors == null ? SearchMode.TEXT : SearchMode.HYBRID) : query.mode();
        if (mode == SearchMode.TEXT || vectors == null || query.text().isBlank()) {
            return textSearch(query); // without the semantic bundle, text alone, with no error
        }
        return fusedSearch(query, vectors, mode);
    }

    /**
     * A semantic or hybrid search: the {@link MemorySettings#fusionDepth()} best of the semantic ranking (and,
     * for hybrid, of the text ranking) fused by reciprocal rank fusion, each memory scoring
     * {@code weight / (k + rank)} per ranking it is in; the total counts the memories fused.
     */
    private SearchResult fusedSearch(SearchQuery query, SemanticIndex vectors, SearchMode mode) {
        MemorySettings current = settings;
        int depth = current.fusionDepth();
        long now = clock.millis();
        CompletableFuture<SearchResult> textHalf = mode == SearchMode.HYBRID
                ? CompletableFuture.supplyAsync(
                        () -> textSearch(query.withLimit(depth).after(null).withMode(SearchMode.TEXT)), searchHelpers)
                : CompletableFuture.completedFuture(null);
        Map<String, Memory> accepted = new java.util.HashMap<>(); // decoded once: the check is most of the cost
        List<SemanticHit> byMeaning;
        try {
            byMeaning = vectors.nearest(query.text(), query.namespaces(), depth, id -> {
                Memory memory = visibleMatch(id, query, now);
                if (memory != null) {
                    accepted.put(id, memory);
                }
                return memory != null;
            }).stream()
                    .filter(hit -> hit.similarity() >= current.semanticFloor())
                    .toList();
        } finally {
            textHalf.exceptionally(failure -> null).join(); // never leave it reading after the call returns
        }
        SearchResult text = joinTextHalf(textHalf);
        List<SearchHit> byText = text == null ? List.of() : text.hits();
        boolean textCut = text != null && (text.more() || !text.totalExact());
        double textWeight = mode == SearchMode.HYBRID ? current.textWeight() : 0;
        double semanticWeight = current.semanticWeight();
        int k = current.fusionK();
        Map<String, SearchHit> found = new LinkedHashMap<>();
        Map<String, Integer> textRanks = new java.util.HashMap<>();
        Map<String, SemanticHit> semanticHits = new java.util.HashMap<>();
        Map<String, Integer> semanticRanks = new java.util.HashMap<>();
        for (int i = 0; i < byText.size(); i++) {
            SearchHit hit = byText.get(i);
            found.put(hit.memory().id(), hit);
            textRanks.put(hit.memory().id(), i + 1);
        }
        for (int i = 0; i < byMeaning.size(); i++) {
            SemanticHit hit = byMeaning.get(i);
            semanticHits.put(hit.id(), hit);
            semanticRanks.put(hit.id(), i + 1);
            if (!found.containsKey(hit.id())) {
                Memory memory = accepted.get(hit.id());
                if (memory != null) {
                    found.put(hit.id(), new SearchHit(memory, 0, List.of()));
                }
            }
        }
        List<SearchHit> fused = new ArrayList<>(found.size());
        for (SearchHit hit : found.values()) {
            String id = hit.memory().id();
            Integer textRank = textRanks.get(id);
            Integer semanticRank = semanticRanks.get(id);
            double textPart = textRank == null ? 0 : textWeight / (k + textRank);
            double semanticPart = semanticRank == null ? 0 : semanticWeight / (k + semanticRank);
            Fusion how = new Fusion(textRank, textRank == null ? null : hit.score(), semanticRank,
                    semanticRank == null ? null : semanticHits.get(id).similarity(), textPart, semanticPart, k);
            fused.add(hit.fused(textPart + semanticPart, how));
        }
        fused.sort(Bm25.BEST_FIRST);
        long total = fused.size();
        SearchPosition after = query.after();
        if (after != null) {
            fused = fused.stream().filter(after::isBefore).toList();
        }
        int taken = Math.min(query.limit(), fused.size());
        boolean exact = !textCut && byMeaning.size() < depth;
        return new SearchResult(List.copyOf(fused.subList(0, taken)), total, exact, taken < fused.size(), mode);
    }

    /** The text half's result; its failure (storage unavailable, say) is the search's, as if run here. */
    private static SearchResult joinTextHalf(CompletableFuture<SearchResult> textHalf) {
        try {
            return textHalf.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error failure) {
                throw failure;
            }
            throw e;
        }
    }

    /** Hybrid searches run both halves on the calling thread from now on; idle helper threads end. */
    protected void stopSearchHelpers() {
        searchHelpers.shutdown();
    }

    /** The memory {@code id} when it is visible and passes the query's filters; null otherwise. */
    private Memory visibleMatch(String id, SearchQuery query, long now) {
        byte[] value = store.read(txn -> txn.get(RECORDS, key(id)));
        Memory memory = value == null ? null : decodeOrSkip(key(id), value);
        return memory != null && passes(memory, query, now) ? memory : null;
    }

    /**
     * Hands every stored memory to the semantic index, in batches (each memory still unchanged in the
     * batch's transaction), then marks it done, when it has not seen them all: it says so (a new store or
     * model), or memories were written while no semantic index ran ({@link Derived#UNSEEN_BY_SEMANTIC}).
     * With {@code force}, always. The index skips texts it has embedded already. Returns how many memories
     * were handed over; 0 without the semantic bundle.
     */
    public long backfillSemantic(boolean force) {
        SemanticIndex vectors = semantic;
        if (vectors == null) {
            return 0;
        }
        long unseenAtStart = store.read(Derived::unseen);
        if (!force && unseenAtStart == 0 && !store.read(vectors::needsBackfill)) {
            return 0;
        }
        long queued = 0;
        byte[] from = null;
        while (true) {
            List<byte[][]> batch = recordBatch(from);
            queued += store.write(txn -> {
                long handed = 0;
                for (byte[][] entry : batch) {
                    Memory memory = Arrays.equals(txn.get(RECORDS, entry[0]), entry[1])
                            ? decodeOrSkip(entry[0], entry[1]) : null; // a changed one was queued by its write
                    if (memory != null) {
                        vectors.textChanged(txn, memory.namespace(), memory.id(), memory.content());
                        handed++;
                    }
                }
                if (batch.size() < REBUILD_BATCH) {
                    vectors.backfilled(txn);
                    // unless a process without the index changed memories meanwhile (then the next sweep goes again)
                    if (Derived.unseen(txn) == unseenAtStart) {
                        txn.delete(Derived.META, Derived.UNSEEN_BY_SEMANTIC);
                    }
                }
                return handed;
            });
            if (batch.size() < REBUILD_BATCH) {
                return queued;
            }
            byte[] last = batch.get(batch.size() - 1)[0];
            from = Arrays.copyOf(last, last.length + 1);
        }
    }

    /** A search by words alone, on the text index (or a scan while it is being built). */
    private SearchResult textSearch(SearchQuery query) {
        long now = clock.millis();
        double[] boosts = settings.fieldBoosts();
        SearchResult indexed = store.read(txn -> {
            TextResult found = textIndex.search(txn, query, now, boosts);
            if (found == null) {
                return null;
            }
            List<SearchHit> hits = new ArrayList<>(found.hits().size());
            for (TextHit hit : found.hits()) {
                byte[] value = txn.get(RECORDS, key(hit.id()));
                Memory memory = value == null ? null : decodeOrSkip(key(hit.id()), value);
                if (memory != null) {
                    List<String> matched = hit.matches().stream().map(TextHit.TermMatch::term).distinct().toList();
                    hits.add(new SearchHit(memory, hit.score(), matched, hit.matches(), hit.doc(), null));
                }
            }
            return new SearchResult(List.copyOf(hits), found.total(), found.totalExact(), found.more());
        });
        return indexed != null ? indexed : scan(query, now);
    }

    /** Search without the index: every memory read and ranked with plain BM25. */
    private SearchResult scan(SearchQuery query, long now) {
        List<Memory> candidates = store.read(txn -> {
            List<Memory> passing = new ArrayList<>();
            txn.scan(RECORDS, null, (key, value) -> {
                Memory memory = decodeOrSkip(key, value);
                if (memory != null && passes(memory, query, now)) {
                    passing.add(memory);
                }
                return true;
            });
            return passing;
        });
        List<String> queryTerms = Terms.distinct(query.text());
        List<SearchHit> hits;
        if (queryTerms.isEmpty()) {
            candidates.sort(Bm25.NEWEST_FIRST);
            hits = candidates.stream().map(memory -> new SearchHit(memory, 0, List.of())).toList();
        } else {
            hits = Bm25.rank(candidates, queryTerms);
        }
        int total = hits.size();
        SearchPosition after = query.after();
        if (after != null) {
            hits = hits.stream().filter(after::isBefore).toList();
        }
        int taken = Math.min(query.limit(), hits.size());
        return new SearchResult(List.copyOf(hits.subList(0, taken)), total, taken < hits.size());
    }

    /**
     * How many memories of {@code layer} are visible now in every namespace: exact, from the index's
     * layer postings (a scan of the memories while the index is not built).
     */
    public long countVisible(Layer layer) {
        long now = clock.millis();
        Long counted = store.read(txn -> textIndex.index().count(txn, null, "layer:" + layer.name(), now));
        if (counted != null) {
            return counted;
        }
        return store.read(txn -> {
            long[] visible = {0};
            txn.scan(RECORDS, null, (key, value) -> {
                Memory memory = decodeOrSkip(key, value);
                if (memory != null && memory.layer() == layer && !memory.isExpiredAt(now)) {
                    visible[0]++;
                }
                return true;
            });
            return visible[0];
        });
    }

    /** The text index's state for status: {@code state} (ready, building, absent) and {@code documents}. */
    public Map<String, Object> indexStatus() {
        return store.read(txn -> {
            TextIndex.State state = textIndex.index().state(txn);
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("state", state.building() != null ? "building" : state.ready() ? "ready" : "absent");
            status.put("documents", textIndex.index().documents(txn));
            return status;
        });
    }

    /** Up to {@link #REBUILD_BATCH} stored records as {key, value}, from the first key at or after {@code from}. */
    private List<byte[][]> recordBatch(byte[] from) {
        return store.read(txn -> {
            List<byte[][]> entries = new ArrayList<>();
            txn.scan(RECORDS, from, (key, value) -> {
                entries.add(new byte[][] {key, value});
                return entries.size() < REBUILD_BATCH;
            });
            return entries;
        });
    }

    /** Whether searches use the text index (it is built and current). */
    public boolean isIndexReady() {
        return store.read(txn -> textIndex.index().isReady(txn));
    }

    /**
     * Builds the text index from the stored memories while other calls go on: a new generation is
     * filled in batches (writes meanwhile go to both), then replaces the old one in one transaction, and
     * the old one is deleted in batches. Joins a build another process started. Returns how many
     * memories this call indexed; searches use the old index (or a scan, if there is none) until the end.
     */
    public long rebuildIndex() {
        synchronized (rebuilding) {
            store.write(txn -> textIndex.index().startBuild(txn));
            long indexed = 0;
            byte[] from = null;
            while (true) {
                List<byte[][]> batch = recordBatch(from);
                if (batch.isEmpty()) {
                    break;
                }
                List<byte[][]> readable = new ArrayList<>(batch.size());
                List<PreparedDocument> prepared = new ArrayList<>(batch.size());
                for (byte[][] entry : batch) {
                    Memory memory = decodeOrSkip(entry[0], entry[1]);
                    if (memory != null) {
                        readable.add(entry);
                        prepared.add(textIndex.prepare(memory));
                    }
                }
                indexed += store.write(txn -> {
                    List<PreparedDocument> unchanged = new ArrayList<>(prepared.size());
                    for (int i = 0; i < readable.size(); i++) {
                        // a memory changed since it was read was indexed by that write, in both generations
                        if (Arrays.equals(txn.get(RECORDS, readable.get(i)[0]), readable.get(i)[1])) {
                            unchanged.add(prepared.get(i));
                        }
                    }
                    return textIndex.index().buildBatch(txn, unchanged);
                });
                if (batch.size() < REBUILD_BATCH) {
                    break;
                }
                byte[] last = batch.get(batch.size() - 1)[0];
                from = Arrays.copyOf(last, last.length + 1); // the next key after it
            }
            store.write(txn -> textIndex.index().finishBuild(txn));
            while (!store.write(txn -> textIndex.index().dropOld(txn, DROP_BATCH))) {
                // a replaced generation goes in batches, so no transaction grows with the store
            }
            return indexed;
        }
    }

    /**
     * Makes sure searches can use the index: starts it empty on a store without memories, rebuilds it
     * when memories were stored before it existed or its analyzer changed, finishes a build a stopped
     * process left half done. Returns whether a build ran.
     */
    public boolean ensureIndex() {
        TextIndex.State state = store.read(txn -> textIndex.index().state(txn));
        if (state.ready()) {
            return false;
        }
        if (state.active() == null && state.building() == null) {
            store.write(txn -> {
                textIndex.startIfNoMemories(txn);
                return null;
            });
            if (store.read(txn -> textIndex.index().state(txn)).ready()) {
                return false;
            }
        }
        long indexed = rebuildIndex();
        LOG.info(() -> "Text index of the memories built: " + indexed + " memories indexed");
        return true;
    }

    /**
     * Applies {@code changes} to a visible memory. The version grows by one when something
     * actually changed. Moving to LTM clears the expiry; moving to STM starts a new one.
     *
     * @return the outcome, or empty when no visible memory has that id
     */
    public Optional<UpdateOutcome> update(String id, MemoryChanges changes) {
        if (!MemoryIds.isWellFormed(id)) {
            return Optional.empty();
        }
        long stmTtlMs = settingsForWrites().stmTtlMs();
        long now = clock.millis();
        byte[] key = key(id);
        Derived derived = derived();
        for (int attempt = 0; ; attempt++) {
            // analyze the changed memory outside the write transaction; the write checks nothing changed meanwhile
            byte[] seen = store.read(txn -> txn.get(RECORDS, key));
            Changed planned = seen == null ? null : applyChanges(decode(seen), changes, now, stmTtlMs);
            PreparedDocument indexed = planned == null || planned.changed().isEmpty() ? null
                    : textIndex.prepare(planned.memory());
            boolean lastAttempt = attempt + 1 >= UPDATE_ATTEMPTS;
            // null: the memory changed since it was read, analyze it again
            Optional<UpdateOutcome> outcome = store.write(txn -> {
                byte[] stored = txn.get(RECORDS, key);
                if (!Arrays.equals(stored, seen) && !lastAttempt) {
                    return null;
                }
                Memory current = visibleOrPurged(txn, derived, key, now);
                if (current == null) {
                    return Optional.empty();
                }
                Changed change = applyChanges(current, changes, now, stmTtlMs);
                if (change.changed().isEmpty()) {
                    return Optional.of(new UpdateOutcome(id, current.namespace(), current.version(), List.of()));
                }
                Memory updated = change.memory();
                txn.put(RECORDS, key, encode(updated));
                // on the last attempt the memory may differ from what was analyzed: analyze it here
                derived.stored(txn, updated, Arrays.equals(stored, seen) ? indexed : textIndex.prepare(updated),
                        change.changed().contains("text"));
                return Optional.of(new UpdateOutcome(id, updated.namespace(), updated.version(),
                        List.copyOf(change.changed())));
            });
            if (outcome != null) {
                return outcome;
            }
        }
    }

    /** A memory after changes, and what changed ({@code text}, {@code metadata}, {@code layer}). */
    private record Changed(Memory memory, List<String> changed) {
    }

    /**
     * {@code current} with {@code changes} applied: the version grows by one when something actually
     * changed; moving to LTM clears the expiry, moving to STM starts a new one.
     */
    private static Changed applyChanges(Memory current, MemoryChanges changes, long now, long stmTtlMs) {
        List<String> changed = new ArrayList<>();
        String content = current.content();
        if (changes.content() != null && !changes.content().equals(content)) {
            content = changes.content();
            changed.add("text");
        }
        var metadata = current.metadata();
        if (changes.metadata() != null && !changes.metadata().equals(metadata)) {
            metadata = changes.metadata();
            changed.add("metadata");
        }
        Layer layer = current.layer();
        Long expiresAt = current.expiresAt();
        if (changes.layer() != null && changes.layer() != layer) {
            layer = changes.layer();
            expiresAt = layer == Layer.STM ? now + stmTtlMs : null;
            changed.add("layer");
        }
        if (changed.isEmpty()) {
            return new Changed(current, List.of());
        }
        return new Changed(new Memory(current.id(), current.namespace(), content, metadata, current.references(),
                layer, current.sessionId(), current.episodeId(), current.version() + 1, current.createdAt(), now,
                expiresAt, current.entities()), changed);
    }

    /**
     * Deletes a visible memory; with {@code backup} it is first copied, with
     * {@code deleted_at}, to {@link #BACKUP} in the same transaction. Deleting an unknown or
     * expired id changes nothing.
     */
    public DeleteOutcome delete(String id, boolean backup) {
        if (!MemoryIds.isWellFormed(id)) {
            return DeleteOutcome.NOTHING;
        }
        long now = clock.millis();
        byte[] key = key(id);
        Derived derived = derived();
        return store.write(txn -> {
            Memory current = visibleOrPurged(txn, derived, key, now);
            if (current == null) {
                return DeleteOutcome.NOTHING;
            }
            if (backup) {
                JsonObject deleted = GSON.toJsonTree(current).getAsJsonObject();
                deleted.addProperty("deleted_at", now);
                txn.put(BACKUP, key, GSON.toJson(deleted).getBytes(StandardCharsets.UTF_8));
            }
            txn.delete(RECORDS, key);
            int cascaded = derived.removed(txn, current);
            return new DeleteOutcome(true, current.namespace(), backup, cascaded);
        });
    }

    /**
     * Deletes every expired memory with its entity links, a batch per transaction, so that an
     * expired memory stops counting as a mention; returns how many were deleted.
     */
    public int purgeExpired() {
        long now = clock.millis();
        Derived derived = derived();
        int purged = 0;
        while (true) {
            List<byte[]> expired = store.read(txn -> {
                List<byte[]> keys = new ArrayList<>();
                txn.scan(RECORDS, null, (key, value) -> {
                    Memory memory = decodeOrSkip(key, value);
                    if (memory != null && memory.isExpiredAt(now)) {
                        keys.add(key);
                    }
                    return keys.size() < PURGE_BATCH;
                });
                return keys;
            });
            if (expired.isEmpty()) {
                return purged;
            }
            purged += store.write(txn -> {
                int deleted = 0;
                for (byte[] key : expired) {
                    byte[] value = txn.get(RECORDS, key);
                    if (value != null && purge(txn, derived, decode(value), now)) {
                        deleted++;
                    }
                }
                return deleted;
            });
            if (expired.size() < PURGE_BATCH) {
                return purged;
            }
        }
    }

    /** Deletes the memory, its index entries and its links when it has expired; returns whether it had. */
    private static boolean purge(WriteTxn txn, Derived derived, Memory memory, long now) {
        if (!memory.isExpiredAt(now)) {
            return false;
        }
        txn.delete(RECORDS, key(memory.id()));
        derived.removed(txn, memory);
        return true;
    }

    /** The memory when it is visible; an expired one is deleted here, with its links, and is null. */
    private static Memory visibleOrPurged(WriteTxn txn, Derived derived, byte[] key, long now) {
        byte[] value = txn.get(RECORDS, key);
        if (value == null) {
            return null;
        }
        Memory memory = decode(value);
        return purge(txn, derived, memory, now) ? null : memory;
    }

    private static boolean passes(Memory memory, SearchQuery query, long now) {
        return !memory.isExpiredAt(now)
                && (query.namespaces() == null || query.namespaces().contains(memory.namespace()))
                && (query.layer() == null || query.layer() == memory.layer())
                && (query.sessionId() == null || query.sessionId().equals(memory.sessionId()))
                && (query.episodeId() == null || query.episodeId().equals(memory.episodeId()))
                && (query.from() == null || memory.createdAt() >= query.from())
                && (query.to() == null || memory.createdAt() <= query.to())
                && (query.tags().isEmpty() || MemoryTextIndex.tags(memory).containsAll(
                        query.tags().stream().map(MemoryTextIndex::normalTag).toList()));
    }

    // one unreadable record must not make every search fail
    private static Memory decodeOrSkip(byte[] key, byte[] value) {
        try {
            return decode(value);
        } catch (JsonParseException e) {
            LOG.log(Level.WARNING, "Skipping unreadable memory record " + new String(key, StandardCharsets.UTF_8), e);
            return null;
        }
    }

    private static Memory decode(byte[] value) {
        Memory memory = GSON.fromJson(new String(value, StandardCharsets.UTF_8), Memory.class);
        // stored before namespaces existed: shared by every workspace, as it was then
        return memory.namespace() == null ? memory.inNamespace(ToolContext.GLOBAL_NAMESPACE) : memory;
    }

    private static byte[] encode(Memory memory) {
        return GSON.toJson(memory).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }
}
