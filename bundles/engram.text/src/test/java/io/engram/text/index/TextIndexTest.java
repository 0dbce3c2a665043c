package io.engram.text.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.storage.LmdbStore;
import io.engram.testing.TempStore;
import io.engram.text.TextAnalyzer;
import io.engram.text.Token;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The index against the real LMDB store: its answers equal a brute-force BM25F over the live
 * documents through random adds, changes and removes; the behaviours searches rely on.
 */
class TextIndexTest {

    @RegisterExtension
    final TempStore temp = new TempStore();

    private static final TextAnalyzer ANALYZER = TextAnalyzer.english();
    private static final List<String> FIELDS = List.of("content", "metadata");
    private static final long NOW = 1_000_000;

    private LmdbStore store;
    private TextIndex index;
    /** The live documents, as the oracle sees them. */
    private final Map<String, IndexDocument> live = new TreeMap<>();

    @BeforeEach
    void open() {
        store = temp.store();
        index = TextIndex.of("test", ANALYZER, FIELDS);
        store.write(txn -> {
            index.activateEmpty(txn);
            return null;
        });
    }

    private void put(IndexDocument document) {
        PreparedDocument prepared = index.prepare(document);
        store.write(txn -> {
            index.put(txn, prepared);
            return null;
        });
        live.put(document.id(), document);
    }

    private void remove(String id) {
        store.write(txn -> {
            index.remove(txn, id);
            return null;
        });
        live.remove(id);
    }

    private TextResult search(TextQuery query) {
        return store.read(txn -> index.search(txn, query));
    }

    private static TextQuery query(String text, Set<String> partitions, int limit) {
        return new TextQuery(text, partitions, null, null, null, NOW, new double[] {1.0, 0.5}, limit, null, true);
    }

    private static IndexDocument doc(String id, String partition, String content, String metadata, long time) {
        return new IndexDocument(id, partition, java.util.Arrays.asList(content, metadata), Set.of(), time, 0);
    }

    @Test
    void answersEqualBruteForceThroughRandomChanges() {
        Random random = new Random(7);
        String[] vocabulary = new String[60];
        for (int i = 0; i < vocabulary.length; i++) {
            vocabulary[i] = "w" + Integer.toString(i * 7919 % 1000, 36) + "x";
        }
        List<String> partitions = List.of("one", "two");
        for (int step = 0; step < 3000; step++) {
            int action = random.nextInt(10);
            if (action < 7 || live.isEmpty()) {
                String id = "d" + random.nextInt(2500);
                put(doc(id, partitions.get(random.nextInt(2)), words(random, vocabulary, 1 + random.nextInt(20)),
                        random.nextInt(3) == 0 ? words(random, vocabulary, 1 + random.nextInt(4)) : null, step));
            } else {
                List<String> ids = new ArrayList<>(live.keySet());
                remove(ids.get(random.nextInt(ids.size())));
            }
        }
        for (int q = 0; q < 60; q++) {
            String text = words(random, vocabulary, 1 + random.nextInt(3));
            Set<String> searched = q % 3 == 0 ? Set.of("one") : Set.of("one", "two");
            List<double[]> expected = bruteForce(text, searched);
            TextResult result = search(query(text, searched, 10));
            assertEquals(Math.min(10, expected.size()), result.hits().size(), text);
            Map<String, Double> oracle = new HashMap<>();
            for (double[] scored : expected) {
                oracle.put(idOf(scored), scored[1]);
            }
            if (System.getenv("DEBUG_INDEX") != null) {
                System.err.println(text + " expected " + expected.stream().limit(12).map(e -> idOf(e) + "=" + e[1]).toList());
                System.err.println(text + " actual " + result.hits().stream().map(h -> h.id() + "=" + h.score()).toList());
            }
            for (int i = 0; i < result.hits().size(); i++) {
                TextHit hit = result.hits().get(i);
                assertEquals(expected.get(i)[1], hit.score(), 1e-4, "rank " + i + " of '" + text + "'");
                assertEquals(oracle.get(hit.id()), hit.score(), 1e-4, hit.id() + " for '" + text + "'");
                assertTrue(searched.contains(hit.partition()));
            }
            if (expected.size() < TextIndex.EXACT_TOTAL_UP_TO) {
                assertTrue(result.totalExact());
                assertEquals(expected.size(), result.total(), "total of '" + text + "'");
            }
            assertEquals(expected.size() > 10, result.more());
        }
    }

    @Test
    void listsGrownPastABlockStayExactWhenOldDocumentsGainAndLoseTheTerm() {
        for (int i = 0; i < 1200; i++) {
            put(doc("d" + i, "p", i % 4 == 0 ? "alpha beta" : "beta gamma", null, i));
        }
        for (int i = 0; i < 1200; i++) {
            put(doc("d" + i, "p", "alpha beta gamma", null, i)); // every older block gains entries: splits
        }
        TextResult everyOne = search(query("alpha", null, 5));
        assertEquals(TextIndex.EXACT_TOTAL_UP_TO, everyOne.total());
        assertFalse(everyOne.totalExact(), "counting stops at " + TextIndex.EXACT_TOTAL_UP_TO);
        for (int i = 0; i < 1200; i += 2) {
            remove("d" + i);
        }
        TextResult alpha = search(query("alpha", Set.of("p"), 1000));
        assertEquals(600, alpha.hits().size());
        assertEquals(600, alpha.total());
        assertTrue(alpha.hits().stream().allMatch(hit -> Integer.parseInt(hit.id().substring(1)) % 2 == 1));
    }

    @Test
    void exactTermBeatsPartialAndRarerTermWeighsMore() {
        put(doc("both", "p", "lmdb lock retry policy", null, 1));
        put(doc("one", "p", "lmdb storage engine notes", null, 2));
        for (int i = 0; i < 20; i++) {
            put(doc("filler" + i, "p", "storage notes about the lock " + i, null, 10 + i));
        }
        List<TextHit> hits = search(query("lmdb lock", null, 3)).hits();
        assertEquals("both", hits.get(0).id());
        assertEquals("one", hits.get(1).id(), "the rare word lmdb outweighs the common word lock");
    }

    @Test
    void phrasesRequireTheWordsInOrderAndPrefixesExpand() {
        put(doc("ordered", "p", "the build cache broke after the upgrade", null, 1));
        put(doc("reversed", "p", "the cache build broke", null, 2));
        put(doc("parser", "p", "parsing the config with a streaming parser", null, 3));
        List<TextHit> phrase = search(query("\"build cache\"", null, 10)).hits();
        assertEquals(List.of("ordered"), phrase.stream().map(TextHit::id).toList());
        assertEquals("phrase", phrase.get(0).matches().get(0).clause());
        List<TextHit> prefix = search(query("pars*", null, 10)).hits();
        assertEquals(List.of("parser"), prefix.stream().map(TextHit::id).toList());
        assertEquals("prefix", prefix.get(0).matches().get(0).clause());
    }

    @Test
    void filtersExpiryAndPagingHold() {
        for (int i = 0; i < 30; i++) {
            put(new IndexDocument("k" + i, "p", List.of("deploy notes " + (i % 3 == 0 ? "deploy" : "")),
                    Set.of(i % 2 == 0 ? "layer:LTM" : "layer:STM"), 100 + i, i % 2 == 0 ? 0 : (i < 10 ? NOW - 1 : NOW + 1000)));
        }
        TextQuery ltm = new TextQuery("deploy", null, Set.of("layer:LTM"), null, null, NOW, null, 100, null, false);
        assertEquals(15, search(ltm).total());
        TextQuery visible = new TextQuery("deploy", null, null, 110L, 125L, NOW, null, 4, null, false);
        List<String> pages = new ArrayList<>();
        TextQuery page = visible;
        while (true) {
            TextResult result = search(page);
            result.hits().forEach(hit -> pages.add(hit.id()));
            if (!result.more()) {
                break;
            }
            TextHit last = result.hits().get(result.hits().size() - 1);
            page = new TextQuery("deploy", null, null, 110L, 125L, NOW, null, 4, last.position(), false);
        }
        // 110..125 made, minus the expired ones (odd and below 10: none in range)
        assertEquals(16, pages.size());
        assertEquals(16, new LinkedHashSet<>(pages).size());
        TextResult all = search(new TextQuery("deploy", null, null, null, null, NOW, null, 100, null, false));
        assertEquals(25, all.total(), "the five STM documents that expired are not found");
    }

    @Test
    void ofEqualScoresTheNewestComeFirstAcrossPartitionsAndPages() {
        // 20 documents with the word twice (they score higher) in the oldest block, then 3,052 with it once
        // (all equal), alternately in two partitions: one common word, many blocks tying the worst kept hit.
        // 3,072 in all, a multiple of MERGE_AT: every document is in the posting lists, none pending.
        for (int i = 0; i < 20; i++) {
            put(doc("t" + i, i % 2 == 0 ? "a" : "b", "alpha alpha", null, i));
        }
        for (int i = 0; i < 3052; i++) {
            put(doc("d" + i, i % 2 == 0 ? "a" : "b", "alpha", null, 20 + i));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 19; i >= 0; i--) {
            expected.add("t" + i);
        }
        for (int i = 3051; i >= 3012; i--) {
            expected.add("d" + i);
        }
        assertEquals(expected.subList(0, 30), ids(search(query("alpha", null, 30))));
        assertEquals(expected.stream().filter(id -> Integer.parseInt(id.substring(1)) % 2 == 1).limit(15).toList(),
                ids(search(query("alpha", Set.of("b"), 15))), "one partition");
        List<String> paged = new ArrayList<>();
        TextQuery.Position after = null;
        for (int page = 0; page < 4; page++) {
            TextResult result = search(new TextQuery("alpha", null, null, null, null, NOW, null, 15, after, false));
            paged.addAll(ids(result));
            after = result.hits().get(result.hits().size() - 1).position();
        }
        assertEquals(expected, paged, "pages of 15");
    }

    private static List<String> ids(TextResult result) {
        return result.hits().stream().map(TextHit::id).toList();
    }

    @Test
    void aFilterNeverAdmitsADocumentWithoutAQueryWord() {
        for (int i = 0; i < 60; i++) {
            // "common" on every document: the layer filter is common, the session filter rare
            put(new IndexDocument("f" + i, "p", List.of(i % 3 == 0 ? "lmdb storage notes" : "gradle build notes"),
                    i < 4 ? Set.of("layer:STM", "session:s1") : Set.of("layer:STM"), i, 0));
        }
        for (String filter : List.of("layer:STM", "session:s1")) {
            TextResult found = search(new TextQuery("lmdb", null, Set.of(filter), null, null, NOW, null, 100, null,
                    false));
            int expected = filter.startsWith("layer") ? 20 : 2; // f0, f3
            assertEquals(expected, found.total(), filter);
            assertTrue(found.hits().stream().allMatch(hit -> Integer.parseInt(hit.id().substring(1)) % 3 == 0), filter);
        }
    }

    @Test
    void blankTextListsNewestFirstAcrossPartitionsWithPaging() {
        for (int i = 0; i < 150; i++) {
            put(doc("n" + i, i % 2 == 0 ? "a" : "b", "note " + i, null, 1000 + i));
        }
        List<String> seen = new ArrayList<>();
        TextQuery.Position after = null;
        while (true) {
            TextResult result = search(new TextQuery("", Set.of("a", "b"), null, null, null, NOW, null, 40, after, false));
            result.hits().forEach(hit -> seen.add(hit.id()));
            if (!result.more()) {
                break;
            }
            after = result.hits().get(result.hits().size() - 1).position();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 149; i >= 0; i--) {
            expected.add("n" + i);
        }
        assertEquals(expected, seen);
    }

    @Test
    void rebuildFillsANewGenerationWhileWritesGoOn() {
        for (int i = 0; i < 300; i++) {
            put(doc("r" + i, "p", "rebuild word" + (i % 10) + " common", null, i));
        }
        store.write(txn -> index.startBuild(txn));
        assertFalse(store.read(txn -> index.state(txn)).ready());
        List<String> ids = new ArrayList<>(live.keySet());
        for (int from = 0; from < ids.size(); from += 50) {
            // writes between the builder's batches: a change, a removal, a new document
            put(doc("r" + from, "p", "changed during the rebuild", null, from));
            remove("r" + (from + 1));
            put(doc("new" + from, "p", "added during the rebuild common", null, 5000 + from));
            List<PreparedDocument> batch = new ArrayList<>();
            for (String id : ids.subList(from, Math.min(ids.size(), from + 50))) {
                if (live.containsKey(id)) {
                    batch.add(index.prepare(live.get(id)));
                }
            }
            store.write(txn -> index.buildBatch(txn, batch));
        }
        boolean finished = store.write(txn -> index.finishBuild(txn));
        assertTrue(finished);
        while (!store.write(txn -> index.dropOld(txn, 500))) {
            // drop the old generation in batches
        }
        assertTrue(store.read(txn -> index.state(txn)).ready());
        long documents = store.read(txn -> index.documents(txn));
        assertEquals(live.size(), documents);
        assertEquals(bruteForce("common", Set.of("p")).size(), search(query("common", null, 10)).total());
        assertEquals(List.of(), search(query("rebuild", Set.of("p"), 400)).hits().stream()
                .filter(hit -> !live.containsKey(hit.id())).toList());
        assertEquals(6, search(query("changed", null, 10)).total());
        assertNull(store.read(txn -> TextIndex.of("other", ANALYZER, FIELDS).search(txn, query("x", null, 1))),
                "an index never built cannot answer");
    }

    private static String words(Random random, String[] vocabulary, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            // Zipf-like: low ranks far more often
            int rank = (int) Math.min(vocabulary.length - 1, Math.floor(Math.pow(vocabulary.length, random.nextDouble())) - 1);
            text.append(vocabulary[Math.max(0, rank)]).append(' ');
        }
        return text.toString();
    }

    /** Ids of the documents the last brute-force search saw, by number. */
    private List<String> ids = List.of();

    private String idOf(double[] scored) {
        return ids.get((int) scored[0]);
    }

    /** BM25F over the live documents of {@code partitions}: [number of the id, score], best first. */
    private List<double[]> bruteForce(String text, Set<String> partitions) {
        List<String> terms = new ArrayList<>(new LinkedHashSet<>(ANALYZER.query(text).stream().map(Token::term).toList()));
        double[] boosts = {1.0, 0.5};
        List<IndexDocument> searched = live.values().stream().filter(d -> partitions.contains(d.partition())).toList();
        List<List<Map<String, Integer>>> frequencies = new ArrayList<>();
        List<int[]> lengths = new ArrayList<>();
        double[] totals = new double[2];
        for (IndexDocument document : searched) {
            List<Map<String, Integer>> perField = new ArrayList<>();
            int[] length = new int[2];
            for (int f = 0; f < 2; f++) {
                Map<String, Integer> tf = new HashMap<>();
                String field = f < document.fields().size() ? document.fields().get(f) : null;
                if (field != null) {
                    for (Token token : ANALYZER.index(field)) {
                        tf.merge(token.term(), 1, Integer::sum);
                        length[f] = Math.max(length[f], token.position() + 1);
                    }
                }
                perField.add(tf);
                totals[f] += length[f];
            }
            frequencies.add(perField);
            lengths.add(length);
        }
        int n = searched.size();
        ids = searched.stream().map(IndexDocument::id).toList();
        List<double[]> scored = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            double score = 0;
            boolean matched = false;
            for (String term : terms) {
                long df = frequencies.stream().filter(fs -> fs.get(0).containsKey(term) || fs.get(1).containsKey(term)).count();
                double weighted = 0;
                for (int f = 0; f < 2; f++) {
                    Integer tf = frequencies.get(d).get(f).get(term);
                    if (tf != null) {
                        double average = totals[f] == 0 ? 1 : totals[f] / n;
                        // lengths are kept in one byte (exact up to 24, then in 5% steps)
                        double length = Norms.decode(Norms.encode(lengths.get(d)[f]));
                        weighted += boosts[f] * tf / (1 - Search.B + Search.B * length / average);
                    }
                }
                if (weighted > 0) {
                    matched = true;
                    double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
                    score += idf * weighted * (Search.K1 + 1) / (Search.K1 + weighted);
                }
            }
            if (matched) {
                scored.add(new double[] {ids.indexOf(searched.get(d).id()), score});
            }
        }
        scored.sort(Comparator.comparingDouble((double[] s) -> s[1]).reversed());
        return scored;
    }
}
