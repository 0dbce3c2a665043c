package io.engram.text.index;

import io.engram.text.Token;
import io.engram.text.TextAnalyzer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A document analyzed and ready to store: made by {@link TextIndex#prepare} outside any transaction
 * (analysis is the slow part), stored by {@link TextIndex#put} inside one.
 */
public final class PreparedDocument {

    final String id;
    final String partition;
    final long time;
    final long expiresAt;
    final int[] lengths;
    final Set<String> keywords;
    /** Its terms in byte order, each with where it occurs. */
    final Map<String, Occurrences> terms;
    final String analyzerId;

    /** Where one term occurs: per field, the term's positions (empty arrays for absent fields). */
    static final class Occurrences {
        int mask;
        final int[][] positions;

        Occurrences(int fields) {
            positions = new int[fields][];
        }

        int frequency(int field) {
            return positions[field] == null ? 0 : positions[field].length;
        }
    }

    private PreparedDocument(String id, String partition, long time, long expiresAt, int[] lengths,
            Set<String> keywords, Map<String, Occurrences> terms, String analyzerId) {
        this.id = id;
        this.partition = partition;
        this.time = time;
        this.expiresAt = expiresAt;
        this.lengths = lengths;
        this.keywords = keywords;
        this.terms = terms;
        this.analyzerId = analyzerId;
    }

    static PreparedDocument of(IndexDocument document, TextAnalyzer analyzer, int fieldCount) {
        if (document.fields().size() > fieldCount) {
            throw new IllegalArgumentException("the index has " + fieldCount + " fields, the document "
                    + document.fields().size());
        }
        int[] lengths = new int[fieldCount];
        Map<String, Occurrences> terms = new TreeMap<>(); // any fixed order: the record lists them so
        for (int field = 0; field < document.fields().size(); field++) {
            String text = document.fields().get(field);
            if (text == null || text.isEmpty()) {
                continue;
            }
            Map<String, List<Integer>> positions = new TreeMap<>();
            int lastPosition = -1;
            for (Token token : analyzer.index(text)) {
                positions.computeIfAbsent(token.term(), t -> new ArrayList<>()).add(token.position());
                lastPosition = Math.max(lastPosition, token.position());
            }
            lengths[field] = lastPosition + 1;
            for (Map.Entry<String, List<Integer>> entry : positions.entrySet()) {
                if (!TextIndex.isStorableTerm(entry.getKey())) {
                    continue;
                }
                Occurrences occurrences = terms.computeIfAbsent(entry.getKey(), t -> new Occurrences(fieldCount));
                occurrences.mask |= 1 << field;
                occurrences.positions[field] = entry.getValue().stream().mapToInt(Integer::intValue).toArray();
            }
        }
        Set<String> keywords = new TreeSet<>();
        for (String keyword : document.keywords()) {
            if (!keyword.isEmpty()) {
                keywords.add(keyword);
            }
        }
        return new PreparedDocument(document.id(), document.partition(), document.time(), document.expiresAt(),
                lengths, keywords, terms, analyzer.id());
    }

}
