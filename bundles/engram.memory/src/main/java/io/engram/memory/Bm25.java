package io.engram.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranks memories against query terms with Okapi BM25 over the memories given: term
 * frequency saturates (k1), rarer terms weigh more (idf), shorter contents are slightly
 * favoured (b). A stand-in until a real text index arrives.
 */
final class Bm25 {

    private static final double K1 = 1.2;
    private static final double B = 0.75;

    /** Newest first; the id breaks ties between memories of the same millisecond. */
    static final Comparator<Memory> NEWEST_FIRST = Comparator.comparingLong(Memory::createdAt)
            .thenComparing(Memory::id)
            .reversed();

    static final Comparator<SearchHit> BEST_FIRST = Comparator.comparingDouble(SearchHit::score)
            .reversed()
            .thenComparing(SearchHit::memory, NEWEST_FIRST);

    private Bm25() {
    }

    /** The memories that match at least one term, best first. */
    static List<SearchHit> rank(List<Memory> memories, List<String> queryTerms) {
        Set<String> wanted = Set.copyOf(queryTerms);
        List<Map<String, Integer>> frequencies = new ArrayList<>(memories.size());
        int[] lengths = new int[memories.size()];
        Map<String, Integer> documentFrequency = new HashMap<>();
        long totalLength = 0;
        for (int i = 0; i < memories.size(); i++) {
            List<String> terms = Terms.of(memories.get(i).content());
            lengths[i] = terms.size();
            totalLength += terms.size();
            Map<String, Integer> frequency = new HashMap<>();
            for (String term : terms) {
                if (wanted.contains(term)) {
                    frequency.merge(term, 1, Integer::sum);
                }
            }
            frequency.keySet().forEach(term -> documentFrequency.merge(term, 1, Integer::sum));
            frequencies.add(frequency);
        }
        int count = memories.size();
        double averageLength = count == 0 ? 1 : Math.max(1.0, (double) totalLength / count);

        List<SearchHit> hits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Integer> frequency = frequencies.get(i);
            if (frequency.isEmpty()) {
                continue;
            }
            double score = 0;
            List<String> matched = new ArrayList<>();
            for (String term : queryTerms) {
                Integer tf = frequency.get(term);
                if (tf == null) {
                    continue;
                }
                int df = documentFrequency.get(term);
                double idf = Math.log(1 + (count - df + 0.5) / (df + 0.5));
                double norm = K1 * (1 - B + B * lengths[i] / averageLength);
                score += idf * tf * (K1 + 1) / (tf + norm);
                matched.add(term);
            }
            hits.add(new SearchHit(memories.get(i), score, List.copyOf(matched)));
        }
        hits.sort(BEST_FIRST);
        return hits;
    }
}
