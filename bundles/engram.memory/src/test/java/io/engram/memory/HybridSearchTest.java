package io.engram.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.api.search.SemanticHit;
import io.engram.api.search.SemanticIndex;
import io.engram.api.store.ReadTxn;
import io.engram.api.store.StoreException;
import io.engram.api.store.WriteTxn;
import io.engram.storage.LmdbStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hybrid search in the memory engine: its text half runs on a helper thread beside the semantic half,
 * on a real LMDB store. The semantic side is {@link Synonyms}, a stand-in for engram.semantic (which the
 * tests module runs for real) that ranks by a fixed synonym table, so what is fused is known exactly.
 */
class HybridSearchTest {

    private static final long START = 1_750_000_000_000L;

    @TempDir
    Path dataDir;

    private LmdbStore store;
    private final MutableClock clock = new MutableClock(START);
    private MemoryEngine engine;
    private final Synonyms synonyms = new Synonyms();

    @BeforeEach
    void open() {
        store = OpenStores.open(dataDir);
        engine = new MemoryEngine(store, clock, MemorySettings.DEFAULTS);
        engine.setSemanticIndex(synonyms);
        for (int i = 0; i < 20; i++) {
            add("Note " + i + " about the build and the release train");
        }
    }

    @AfterEach
    void close() {
        engine.stopSearchHelpers();
        store.close();
    }

    private Memory add(String content) {
        Memory added = engine.add(new NewMemory(content, null, null, Layer.LTM, null, null));
        clock.advance(1);
        return added;
    }

    private List<String> hybrid(String text) {
        SearchResult result = engine.search(new SearchQuery(text, 10, null, null, null, null, null)
                .withMode(SearchMode.HYBRID));
        return result.hits().stream().map(hit -> hit.memory().id()).toList();
    }

    @Test
    void bothRankingsAreFusedAndManyConcurrentSearchesAgreeWithOne() throws Exception {
        Memory byWord = add("The car would not start after the cold night");
        Memory byMeaning = add("Took the automobile to the garage for new brakes");
        Memory byBoth = add("The car and the automobile share one parking permit");

        List<String> alone = hybrid("car");
        assertEquals(byBoth.id(), alone.get(0), "in both rankings: first");
        assertTrue(alone.containsAll(List.of(byWord.id(), byMeaning.id())),
                "one memory found by its word only, one by meaning only: " + alone);

        // more searches at once than the engine has helper threads: the rest run both halves themselves
        int searchers = MemoryEngine.SEARCH_HELPERS * 4;
        ExecutorService pool = Executors.newFixedThreadPool(searchers);
        try {
            List<Future<List<String>>> answers = new ArrayList<>();
            for (int i = 0; i < searchers * 10; i++) {
                answers.add(pool.submit(() -> hybrid("car")));
            }
            for (Future<List<String>> answer : answers) {
                assertEquals(alone, answer.get());
            }
        } finally {
            pool.shutdownNow();
        }

        engine.stopSearchHelpers();
        assertEquals(alone, hybrid("car"), "with the helpers stopped, the calling thread runs both halves");
    }

    @Test
    void aFailureOfTheTextHalfIsTheSearchsOwn() {
        // the stand-in finds nothing for this query and never reads the store: only the text half does
        store.close();
        StoreException failure = assertThrows(StoreException.class, () -> hybrid("nothing matches"));
        assertTrue(failure.getMessage() != null && !failure.getMessage().isBlank(), failure.toString());
    }

    /** Ranks the texts it was given by how many of the query's words or their synonyms they hold. */
    private static final class Synonyms implements SemanticIndex {

        private static final Map<String, Set<String>> SAME = Map.of("car", Set.of("car", "automobile"));
        private final Map<String, String> texts = new ConcurrentHashMap<>();

        @Override
        public void textChanged(WriteTxn txn, String namespace, String id, String text) {
            texts.put(id, text.toLowerCase());
        }

        @Override
        public void removed(WriteTxn txn, String namespace, String id) {
            texts.remove(id);
        }

        @Override
        public boolean needsBackfill(ReadTxn txn) {
            return false;
        }

        @Override
        public void backfilled(WriteTxn txn) {
        }

        @Override
        public List<SemanticHit> nearest(String query, Set<String> namespaces, int limit, Predicate<String> accept) {
            Set<String> meant = SAME.getOrDefault(query.toLowerCase(), Set.of());
            List<SemanticHit> hits = new ArrayList<>();
            texts.entrySet().stream()
                    .map(entry -> new SemanticHit(entry.getKey(), "",
                            meant.stream().filter(entry.getValue()::contains).count() / 2.0))
                    .filter(hit -> hit.similarity() > 0)
                    .sorted(Comparator.comparingDouble(SemanticHit::similarity).reversed()
                            .thenComparing(SemanticHit::id))
                    .filter(hit -> hits.size() < limit && accept.test(hit.id()))
                    .forEach(hits::add);
            return hits;
        }

        @Override
        public long pending() {
            return 0;
        }

        @Override
        public String modelId() {
            return "synonyms/test";
        }
    }
}
