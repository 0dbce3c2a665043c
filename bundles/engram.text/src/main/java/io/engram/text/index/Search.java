package io.engram.text.index;

import io.engram.api.store.ReadTxn;
import io.engram.text.Token;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.HashSet;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One search of one generation, in one read transaction.
 *
 * <p>Ranked searches walk the matching posting lists document at a time, partition by partition,
 * keeping the best {@code limit + 1} hits in a heap. With only optional words the walk is MaxScore:
 * once the heap is full, the words whose summed best possible contribution cannot reach its worst
 * score are only probed for documents the other words found. With phrases or keywords the rarest
 * required list leads and the others are advanced to it. The first {@link TextIndex#EXACT_TOTAL_UP_TO}
 * matches are all scored and counted, so totals stay exact for small answers.
 *
 * <p>Scores are BM25F: per term, {@code idf * t * (k1 + 1) / (k1 + t)} where {@code t} sums, over the
 * fields, {@code boost * tf / (1 - b + b * length / averageLength)}.
 */
final class Search {

    static final double K1 = 1.2;
    static final double B = 0.75;
    /** Most terms a prefix stands for (the most frequent are kept). */
    static final int MAX_PREFIX_TERMS = 64;

    /** Higher score first; of equal scores, the most recently indexed (the larger number) first. */
    private static final Comparator<Hit> BEST_FIRST = Comparator.comparingDouble(Hit::score)
            .thenComparingLong(Hit::doc)
            .reversed();

    private final Generation generation;
    private final ReadTxn txn;
    private final TextQuery query;
    private final int fieldCount;
    private final int capacity;
    private final PriorityQueue<Hit> heap;
    private long counted;
    private boolean pruning;
    private float[][] normFactors;
    private double[] boosts;
    private long documents;

    Search(Generation generation, ReadTxn txn, TextQuery query) {
        this.generation = generation;
        this.txn = txn;
        this.query = query;
        this.fieldCount = generation.index.fields().size();
        this.capacity = query.limit() + 1;
        this.heap = new PriorityQueue<>(capacity + 1, BEST_FIRST.reversed());
    }

    private record Hit(double score, long doc, long time, String id, String partition,
            List<TextHit.TermMatch> matches) {
    }

    /** A term the query looks up, with its weight over the searched partitions. */
    private static final class QueryTerm {
        final String term;
        final String clause;
        final boolean required;
        final boolean keyword;
        double idf;
        double upperBound;

        QueryTerm(String term, String clause, boolean required, boolean keyword) {
            this.term = term;
            this.clause = clause;
            this.required = required;
            this.keyword = keyword;
        }
    }

    /** A query term's posting list in one partition. */
    private static final class TermCursor {
        final QueryTerm term;
        final PostingCursor postings;
        final long frequency;

        TermCursor(QueryTerm term, PostingCursor postings, long frequency) {
            this.term = term;
            this.postings = postings;
            this.frequency = frequency;
        }
    }

    TextResult run() {
        List<String> partitions = partitions();
        ParsedQuery parsed = ParsedQuery.parse(query.text(), generation.index.analyzer());
        if (parsed.isEmpty()) {
            return newestFirst(partitions);
        }
        prepareScoring(partitions);
        Map<String, List<PendingDoc>> pending = new HashMap<>();
        for (String partition : partitions) {
            pending.put(partition, pendingDocs(partition));
        }
        List<QueryTerm> terms = queryTerms(parsed, partitions, pending);
        if (terms.stream().noneMatch(term -> !term.keyword)) {
            return new TextResult(List.of(), 0, true, false);
        }
        weigh(terms, partitions, pending);
        for (String partition : partitions) {
            walk(partition, terms, parsed.phrases());
            scorePending(pending.get(partition), terms, parsed.phrases());
        }
        return result();
    }

    private List<String> partitions() {
        if (query.partitions() != null) {
            List<String> named = new ArrayList<>(query.partitions());
            named.sort(TextIndex.BYTE_ORDER);
            return named;
        }
        return generation.partitions(txn);
    }

    // ---- scoring

    private void prepareScoring(List<String> partitions) {
        long documents = 0;
        long[] lengths = new long[fieldCount];
        for (String partition : partitions) {
            PartitionStats stats = generation.stats(txn, partition);
            documents += stats.documents();
            for (int f = 0; f < fieldCount; f++) {
                lengths[f] += stats.lengths()[f];
            }
        }
        boosts = new double[fieldCount];
        normFactors = new float[fieldCount][256];
        for (int f = 0; f < fieldCount; f++) {
            boosts[f] = f < query.boosts().length ? query.boosts()[f] : 1.0;
            double average = documents == 0 || lengths[f] == 0 ? 1.0 : (double) lengths[f] / documents;
            for (int norm = 0; norm < 256; norm++) {
                normFactors[f][norm] = (float) (1.0 / (1 - B + B * Norms.decode(norm) / average));
            }
        }
        this.documents = documents;
    }

    private void weigh(List<QueryTerm> terms, List<String> partitions, Map<String, List<PendingDoc>> pending) {
        for (QueryTerm term : terms) {
            if (term.keyword) {
                continue;
            }
            long frequency = 0;
            for (String partition : partitions) {
                frequency += generation.frequency(txn, partition, term.term);
                for (PendingDoc doc : pending.get(partition)) {
                    frequency += doc.positions.containsKey(term.term) ? 1 : 0;
                }
            }
            term.idf = Math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5));
            double maxBoost = Arrays.stream(boosts).max().orElse(1.0);
            // t / (k1 + t) < 1 for any t, so no document gets more than idf * (k1 + 1) from a term
            term.upperBound = maxBoost <= 0 ? 0 : term.idf * (K1 + 1);
        }
    }

    /** The term's contribution to the score of the entry the cursor is on. */
    private double score(TermCursor cursor) {
        return score(cursor.term, cursor.postings.payloadBytes(), cursor.postings.payloadAt());
    }

    /** The most the term can add for any entry of the cursor's current block, from the block's key. */
    private double blockBound(TermCursor cursor) {
        return blockBound(cursor.term, cursor.postings.blockKey(), cursor.postings.prefix().length);
    }

    /** The most {@code term} can add for any entry of the block under {@code key}, from its summary. */
    private double blockBound(QueryTerm term, byte[] key, int prefixLength) {
        double first = 0;
        for (int pair = 0; pair < PostingBlock.FRONTIER; pair++) {
            int tf = Postings.summaryTf(key, prefixLength, 0, pair);
            if (tf > 0) {
                first = Math.max(first, tf >= 255 ? Double.POSITIVE_INFINITY
                        : boosts[0] * tf * normFactors[0][Postings.summaryNorm(key, prefixLength, 0, pair)]);
            }
        }
        double weighted = first;
        for (int f = 1; f < fieldCount; f++) {
            int tf = Postings.summaryTf(key, prefixLength, f, 0);
            if (tf > 0) {
                // a capped frequency (255) may stand for more: no bound from the key then
                weighted += tf >= 255 ? Double.POSITIVE_INFINITY
                        : boosts[f] * tf * normFactors[f][Postings.summaryNorm(key, prefixLength, f, 0)];
            }
        }
        if (Double.isInfinite(weighted)) {
            return term.upperBound;
        }
        return term.idf * weighted * (K1 + 1) / (K1 + weighted);
    }

    /** The term's contribution for the posting payload at {@code bytes[at]}. */
    private double score(QueryTerm term, byte[] bytes, int at) {
        if (term.keyword) {
            return 0;
        }
        int flags = bytes[at++] & 0xFF;
        double weighted = 0;
        for (int f = 0; f < fieldCount; f++) {
            if ((flags & (1 << f)) != 0) {
                int tf = 0;
                int shift = 0;
                byte b;
                do {
                    b = bytes[at++];
                    tf |= (b & 0x7F) << shift;
                    shift += 7;
                } while (b < 0);
                int norm = bytes[at++] & 0xFF;
                weighted += boosts[f] * tf * normFactors[f][norm];
            }
        }
        return term.idf * weighted * (K1 + 1) / (K1 + weighted);
    }

    /** What the term contributed for the posting payload at {@code bytes[at]}, for {@code explain}. */
    private TextHit.TermMatch match(QueryTerm term, byte[] bytes, int at) {
        return new TextHit.TermMatch(term.term, term.clause, frequencies(bytes, at), round(term.idf),
                round(score(term, bytes, at)));
    }

    /** The term's frequency per field, by field name, in the posting payload at {@code bytes[at]}. */
    private Map<String, Integer> frequencies(byte[] bytes, int at) {
        Map<String, Integer> byField = new LinkedHashMap<>();
        Bytes.Reader in = new Bytes.Reader(bytes, at);
        int flags = in.u8();
        for (int f = 0; f < fieldCount; f++) {
            if ((flags & (1 << f)) != 0) {
                byField.put(generation.index.fields().get(f), in.varint());
                in.u8();
            }
        }
        return byField;
    }

    // ---- the query's terms

    private List<QueryTerm> queryTerms(ParsedQuery parsed, List<String> partitions,
            Map<String, List<PendingDoc>> pending) {
        Map<String, QueryTerm> terms = new LinkedHashMap<>();
        for (List<Token> phrase : parsed.phrases()) {
            for (Token token : phrase) {
                terms.putIfAbsent(token.term(), new QueryTerm(token.term(), "phrase", true, false));
            }
        }
        for (String word : parsed.words()) {
            terms.putIfAbsent(word, new QueryTerm(word, "word", false, false));
        }
        for (String prefix : parsed.prefixes()) {
            for (String term : expand(prefix, partitions, pending)) {
                terms.putIfAbsent(term, new QueryTerm(term, "prefix", false, false));
            }
        }
        for (String keyword : query.keywords()) {
            String term = TextIndex.keywordTerm(keyword);
            terms.put(term, new QueryTerm(term, "keyword", true, true));
        }
        return new ArrayList<>(terms.values());
    }

    /** The most frequent terms starting with {@code prefix} in the partitions. */
    private List<String> expand(String prefix, List<String> partitions, Map<String, List<PendingDoc>> pending) {
        Map<String, Long> found = new HashMap<>();
        for (String partition : partitions) {
            for (PendingDoc doc : pending.get(partition)) {
                for (String term : doc.positions.keySet()) {
                    if (term.startsWith(prefix)) {
                        found.merge(term, 1L, Long::sum);
                    }
                }
            }
        }
        for (String partition : partitions) {
            byte[] start = Generation.termKey(partition, prefix);
            int partitionBytes = Bytes.utf8(partition).length + 1;
            int[] seen = {0};
            txn.scanPrefix(generation.terms, start, (key, value) -> {
                String term = new String(key, partitionBytes, key.length - partitionBytes,
                        java.nio.charset.StandardCharsets.UTF_8);
                found.merge(term, new Bytes.Reader(value).varlong(), Long::sum);
                return ++seen[0] < 10 * MAX_PREFIX_TERMS;
            });
        }
        return found.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_PREFIX_TERMS)
                .map(Map.Entry::getKey)
                .toList();
    }

    // ---- the walk

    private void walk(String partition, List<QueryTerm> terms, List<List<Token>> phrases) {
        List<TermCursor> required = new ArrayList<>();
        List<TermCursor> optional = new ArrayList<>();
        for (QueryTerm term : terms) {
            long frequency = generation.frequency(txn, partition, term.term);
            if (frequency == 0) {
                if (term.required) {
                    return; // nothing in this partition has every required term
                }
                continue;
            }
            byte[] prefix = Generation.postingPrefix(Generation.termKey(partition, term.term));
            TermCursor cursor = new TermCursor(term, new PostingCursor(txn, generation.post, prefix), frequency);
            (term.required ? required : optional).add(cursor);
        }
        boolean requiredText = required.stream().anyMatch(cursor -> !cursor.term.keyword);
        if (requiredText) {
            conjunction(required, optional, phrases);
        } else if (optional.isEmpty()) {
            return;
        } else if (required.isEmpty() && optional.size() == 1) {
            newestBlocksFirst(optional.get(0));
        } else if (!required.isEmpty() && minFrequency(required) <= optional.stream().mapToLong(c -> c.frequency).sum()) {
            // a rare filter (a session, an episode): walk its documents and score those with a word
            conjunction(required, optional, phrases);
        } else {
            // a common filter (a layer): walk the words, checking the filter for each candidate
            maxScore(optional, required, phrases);
        }
    }

    private static long minFrequency(List<TermCursor> cursors) {
        return cursors.stream().mapToLong(cursor -> cursor.frequency).min().orElse(Long.MAX_VALUE);
    }

    private double threshold() {
        return heap.size() >= capacity ? heap.peek().score() : Double.NEGATIVE_INFINITY;
    }

    /** MaxScore over {@code cursors}; a document must also be in every one of {@code filters}. */
    private void maxScore(List<TermCursor> cursors, List<TermCursor> filters, List<List<Token>> phrases) {
        cursors.sort(Comparator.comparingDouble(cursor -> cursor.term.upperBound));
        int n = cursors.size();
        double[] boundBelow = new double[n + 1]; // boundBelow[i]: summed bounds of cursors 0..i-1
        for (int i = 0; i < n; i++) {
            boundBelow[i + 1] = boundBelow[i] + cursors.get(i).term.upperBound;
        }
        while (true) {
            double threshold = pruning ? threshold() : Double.NEGATIVE_INFINITY;
            // cursors below firstEssential cannot lift a document to the threshold on their own
            int firstEssential = 0;
            while (firstEssential < n && boundBelow[firstEssential + 1] < threshold) {
                firstEssential++;
            }
            if (firstEssential == n) {
                return;
            }
            long doc = PostingCursor.END;
            for (int i = firstEssential; i < n; i++) {
                doc = Math.min(doc, cursors.get(i).postings.doc());
            }
            if (doc == PostingCursor.END) {
                return;
            }
            if (pruning && firstEssential == n - 1) {
                // one list left that can reach the threshold: skip its blocks whose best cannot
                TermCursor only = cursors.get(n - 1);
                if (blockBound(only) + boundBelow[n - 1] < threshold) {
                    only.postings.skipBlock();
                    continue;
                }
            }
            if (!inAll(filters, doc)) {
                for (int i = firstEssential; i < n; i++) {
                    TermCursor cursor = cursors.get(i);
                    if (cursor.postings.doc() == doc) {
                        cursor.postings.next();
                    }
                }
                continue;
            }
            double score = 0;
            int flags = 0;
            for (int i = firstEssential; i < n; i++) {
                TermCursor cursor = cursors.get(i);
                if (cursor.postings.doc() == doc) {
                    score += score(cursor);
                    flags |= cursor.postings.flags();
                }
            }
            boolean reachable = true;
            for (int i = firstEssential - 1; i >= 0; i--) {
                if (score + boundBelow[i + 1] < threshold) {
                    reachable = false;
                    break;
                }
                TermCursor cursor = cursors.get(i);
                if (cursor.postings.advance(doc) == doc) {
                    score += score(cursor);
                    flags |= cursor.postings.flags();
                }
            }
            if (reachable) {
                consider(doc, score, flags, cursors, phrases);
            }
            for (int i = firstEssential; i < n; i++) {
                TermCursor cursor = cursors.get(i);
                if (cursor.postings.doc() == doc) {
                    cursor.postings.next();
                }
            }
        }
    }

    /**
     * One word and no filter: its posting list read block by block from the newest. Of equal scores the newer
     * document ranks first, so once pruning a block whose bound is below the worst kept hit, or equal to it
     * with only older documents, cannot add a hit and is passed over unread. A common word then reads the
     * few blocks that hold its best and newest documents; read in document order, every block whose bound
     * reaches the worst kept score had to be read for the newer ties (docs/SEARCH.md, "One common word").
     */
    private void newestBlocksFirst(TermCursor only) {
        byte[] prefix = only.postings.prefix();
        List<byte[]> keys = new ArrayList<>();
        txn.scanPrefixInPlace(generation.post, prefix, (key, value) -> {
            byte[] copy = new byte[key.remaining()];
            key.get(key.position(), copy);
            if (Postings.isBlockKey(copy, prefix)) {
                keys.add(copy);
            }
            return true;
        });
        QueryTerm term = only.term;
        int prefixLength = prefix.length;
        PostingBlock block = new PostingBlock();
        for (int i = keys.size() - 1; i >= 0; i--) {
            byte[] key = keys.get(i);
            if (pruning && heap.size() >= capacity) {
                Hit worst = heap.peek();
                double bound = blockBound(term, key, prefixLength);
                long upper = Bytes.readLongBE(key, prefixLength); // at least the block's last document
                if (bound < worst.score() || (bound == worst.score() && Long.compareUnsigned(upper, worst.doc()) < 0)) {
                    continue;
                }
            }
            byte[] value = txn.get(generation.post, key);
            if (value == null) {
                continue;
            }
            block.decode(value);
            for (int e = block.count - 1; e >= 0; e--) {
                int at = block.payloads[e];
                consider(block.docs[e], score(term, value, at), value[at] & 0xFF,
                        () -> List.of(match(term, value, at)), List.of());
            }
        }
    }

    private static boolean inAll(List<TermCursor> filters, long doc) {
        for (TermCursor filter : filters) {
            if (filter.postings.advance(doc) != doc) {
                return false;
            }
        }
        return true;
    }

    /**
     * The documents in every required list, scored with the optional words too; when every required list
     * is a keyword, only documents with at least one optional word count.
     */
    private void conjunction(List<TermCursor> required, List<TermCursor> optional, List<List<Token>> phrases) {
        boolean needsWord = required.stream().allMatch(cursor -> cursor.term.keyword);
        required.sort(Comparator.comparingLong(cursor -> cursor.frequency));
        List<TermCursor> all = new ArrayList<>(required);
        all.addAll(optional);
        PostingCursor lead = required.get(0).postings;
        long doc = lead.doc();
        outer:
        while (doc != PostingCursor.END) {
            for (int i = 1; i < required.size(); i++) {
                long at = required.get(i).postings.advance(doc);
                if (at != doc) {
                    doc = lead.advance(at);
                    continue outer;
                }
            }
            double score = 0;
            int flags = 0;
            for (TermCursor cursor : required) {
                score += score(cursor);
                flags |= cursor.postings.flags();
            }
            boolean worded = !needsWord;
            for (TermCursor cursor : optional) {
                if (cursor.postings.advance(doc) == doc) {
                    score += score(cursor);
                    worded = true;
                }
            }
            if (worded) {
                consider(doc, score, flags, all, phrases);
            }
            doc = lead.next();
        }
    }

    /** Counts and keeps document {@code doc} if it passes the filters and ranks high enough. */
    private void consider(long doc, double score, int flags, List<TermCursor> cursors, List<List<Token>> phrases) {
        consider(doc, score, flags, () -> matches(doc, cursors), phrases);
    }

    private void consider(long doc, double score, int flags, Supplier<List<TextHit.TermMatch>> matches,
            List<List<Token>> phrases) {
        TextQuery.Position after = query.after();
        boolean mayEnter = (heap.size() < capacity || ranksBefore(score, doc, heap.peek().score(), heap.peek().doc()))
                && (after == null || !ranksBefore(score, doc, after.score(), after.doc()));
        boolean counting = !pruning;
        if (!mayEnter && !counting) {
            return;
        }
        boolean timeFilter = query.timeFrom() != null || query.timeTo() != null;
        DocRecord record = null;
        if (mayEnter || timeFilter || !phrases.isEmpty() || (flags & PostingBlock.EXPIRES) != 0) {
            record = generation.record(txn, doc);
            if (record == null || record.isExpiredAt(query.now())
                    || (query.timeFrom() != null && record.time < query.timeFrom())
                    || (query.timeTo() != null && record.time > query.timeTo())
                    || (!phrases.isEmpty() && !hasPhrases(record, phrases))) {
                return;
            }
        }
        if (counting && ++counted >= TextIndex.EXACT_TOTAL_UP_TO) {
            pruning = true;
        }
        if (!mayEnter || (after != null && (score == after.score() && doc == after.doc()))) {
            return;
        }
        Hit hit = new Hit(score, doc, record.time, record.id, record.partition,
                query.explain() ? matches.get() : List.of());
        heap.add(hit);
        if (heap.size() > capacity) {
            heap.poll();
        }
    }

    /** Whether a hit (score, doc) ranks before (score, doc) {@code other}. */
    private static boolean ranksBefore(double score, long doc, double otherScore, long otherDoc) {
        return score > otherScore || (score == otherScore && doc > otherDoc);
    }

    /**
     * A document not in the posting lists yet, with what scoring needs from its record: its keywords as
     * posting-list names ({@link TextIndex#keywordTerm}) and its terms' positions per field.
     */
    private record PendingDoc(long doc, int flags, int[] lengths, Set<String> keywordTerms,
            Map<String, int[][]> positions) {
    }

    private List<PendingDoc> pendingDocs(String partition) {
        List<PendingDoc> found = new ArrayList<>();
        for (long doc : generation.pendingDocs(txn, partition)) {
            DocRecord record = generation.record(txn, doc);
            if (record == null) {
                continue;
            }
            Set<String> keywordTerms = new HashSet<>();
            Map<String, int[][]> positions = new HashMap<>();
            record.visitTerms((term, keyword, at) -> {
                if (keyword) {
                    keywordTerms.add(TextIndex.keywordTerm(term));
                } else {
                    positions.put(term, at);
                }
            });
            found.add(new PendingDoc(doc, record.expiresAt != 0 ? PostingBlock.EXPIRES : 0, record.lengths(),
                    keywordTerms, positions));
        }
        return found;
    }

    /** Scores the pending documents as the walk scores indexed ones. */
    private void scorePending(List<PendingDoc> docs, List<QueryTerm> terms, List<List<Token>> phrases) {
        next:
        for (PendingDoc doc : docs) {
            double score = 0;
            boolean worded = false;
            List<TextHit.TermMatch> matched = new ArrayList<>();
            for (QueryTerm term : terms) {
                if (term.keyword) {
                    if (!doc.keywordTerms.contains(term.term)) {
                        continue next;
                    }
                    continue;
                }
                int[][] positions = doc.positions.get(term.term);
                if (positions == null) {
                    if (term.required) {
                        continue next;
                    }
                    continue;
                }
                byte[] payload = DocRecord.payload(positions, doc.lengths, doc.flags);
                score += score(term, payload, 0);
                worded = true;
                if (query.explain()) {
                    matched.add(match(term, payload, 0));
                }
            }
            if (worded) {
                matched.sort(Comparator.comparingDouble(TextHit.TermMatch::score).reversed());
                consider(doc.doc, score, doc.flags, () -> matched, phrases);
            }
        }
    }

    private List<TextHit.TermMatch> matches(long doc, List<TermCursor> cursors) {
        List<TextHit.TermMatch> matches = new ArrayList<>();
        for (TermCursor cursor : cursors) {
            if (!cursor.term.keyword && cursor.postings.doc() == doc) {
                matches.add(match(cursor.term, cursor.postings.payloadBytes(), cursor.postings.payloadAt()));
            }
        }
        matches.sort(Comparator.comparingDouble(TextHit.TermMatch::score).reversed());
        return matches;
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

    /** Whether every phrase occurs in one of the document's fields, its words at consecutive positions. */
    private boolean hasPhrases(DocRecord record, List<List<Token>> phrases) {
        Map<String, int[][]> positions = new TreeMap<>();
        record.visitTerms((term, keyword, at) -> {
            if (!keyword) {
                positions.put(term, at);
            }
        });
        for (List<Token> phrase : phrases) {
            if (!hasPhrase(positions, phrase)) {
                return false;
            }
        }
        return true;
    }

    private boolean hasPhrase(Map<String, int[][]> positions, List<Token> phrase) {
        for (int field = 0; field < fieldCount; field++) {
            int[][] first = positions.get(phrase.get(0).term());
            if (first == null || first[field] == null) {
                continue;
            }
            for (int start : first[field]) {
                boolean all = true;
                for (Token token : phrase) {
                    int[][] at = positions.get(token.term());
                    if (at == null || at[field] == null || Arrays.binarySearch(at[field], start + token.position()) < 0) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    return true;
                }
            }
        }
        return false;
    }

    private TextResult result() {
        List<Hit> best = new ArrayList<>(heap);
        best.sort(BEST_FIRST);
        boolean more = best.size() > query.limit();
        List<TextHit> hits = new ArrayList<>(Math.min(best.size(), query.limit()));
        for (Hit hit : best.subList(0, Math.min(best.size(), query.limit()))) {
            hits.add(new TextHit(hit.id(), hit.partition(), hit.score(), hit.time(), hit.matches(), hit.doc()));
        }
        return new TextResult(hits, counted, !pruning, more);
    }

    // ---- no words: newest first

    private TextResult newestFirst(List<String> partitions) {
        List<RecentStream> streams = new ArrayList<>();
        for (String partition : partitions) {
            RecentStream stream = new RecentStream(partition);
            if (stream.current != null) {
                streams.add(stream);
            }
        }
        List<TextHit> hits = new ArrayList<>();
        boolean more = false;
        while (!streams.isEmpty()) {
            RecentStream next = streams.get(0);
            for (RecentStream stream : streams) {
                if (Arrays.compareUnsigned(stream.order(), next.order()) < 0) {
                    next = stream;
                }
            }
            long doc = Bytes.readLongBE(next.currentDoc, 0);
            DocRecord record = generation.record(txn, doc);
            next.advance();
            if (next.current == null) {
                streams.remove(next);
            }
            if (record == null || record.isExpiredAt(query.now())) {
                continue;
            }
            if (query.timeFrom() != null && record.time < query.timeFrom()) {
                streams.remove(next); // the rest of this partition is older still
                continue;
            }
            if (!hasKeywords(record)) {
                continue;
            }
            counted++;
            if (hits.size() < query.limit()) {
                hits.add(new TextHit(record.id, record.partition, 0, record.time, List.of(), doc));
            } else {
                more = true;
                if (counted >= TextIndex.EXACT_TOTAL_UP_TO) {
                    return new TextResult(hits, counted, false, true);
                }
            }
        }
        return new TextResult(hits, counted, true, more);
    }

    private boolean hasKeywords(DocRecord record) {
        return query.keywords().isEmpty() || record.keywords().containsAll(query.keywords());
    }

    /** One partition's documents, newest first, from the query's time bound or cursor on. */
    private final class RecentStream {
        private static final int BATCH = 64;
        private final byte[] prefix;
        private final List<byte[]> keys = new ArrayList<>();
        private final List<byte[]> docs = new ArrayList<>();
        private int at;
        private boolean exhausted;
        byte[] current;
        byte[] currentDoc;

        RecentStream(String partition) {
            prefix = Generation.recentPrefix(partition);
            TextQuery.Position after = query.after();
            byte[] from;
            if (after != null) {
                from = Generation.recentKey(partition, after.time(), after.id());
            } else if (query.timeTo() != null) {
                from = new Bytes(prefix.length + 8).put(prefix).longBE(~query.timeTo()).toArray();
            } else {
                from = prefix;
            }
            fill(from, after != null);
            move();
        }

        /** The key's order within the partition: time then id, both inverted. */
        byte[] order() {
            return Arrays.copyOfRange(current, prefix.length, current.length);
        }

        void advance() {
            move();
        }

        private void move() {
            if (at >= keys.size()) {
                if (exhausted) {
                    current = null;
                    return;
                }
                byte[] last = keys.get(keys.size() - 1);
                fill(last, true);
                if (keys.isEmpty()) {
                    current = null;
                    return;
                }
            }
            current = keys.get(at);
            currentDoc = docs.get(at);
            at++;
        }

        private void fill(byte[] from, boolean skipFrom) {
            keys.clear();
            docs.clear();
            at = 0;
            exhausted = true;
            txn.scan(generation.recent, from, (key, value) -> {
                if (!Postings.startsWith(key, prefix)) {
                    return false;
                }
                if (skipFrom && Arrays.equals(key, from)) {
                    return true;
                }
                keys.add(key);
                docs.add(value);
                if (keys.size() < BATCH) {
                    return true;
                }
                exhausted = false;
                return false;
            });
        }
    }
}
