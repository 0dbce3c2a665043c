package io.engram.text.index;

import java.util.List;

/**
 * A document found by a {@link TextQuery}.
 *
 * @param matches what each matched query term contributed, best first; empty unless the query asked to explain
 * @param doc     its number in the index, which orders hits of equal score (see {@link TextQuery.Position})
 */
public record TextHit(String id, String partition, double score, long time, List<TermMatch> matches, long doc) {

    /** The place of this hit in its ranking, to continue after it. */
    public TextQuery.Position position() {
        return new TextQuery.Position(score, time, id, doc);
    }

    /**
     * One query term's part in a hit's score (BM25F).
     *
     * @param term      the indexed term that matched (for a prefix, the word it expanded to)
     * @param clause    how the query asked for it: {@code word}, {@code phrase} or {@code prefix}
     * @param frequency how often it occurs in each field that has it, by field name
     * @param idf       its inverse document frequency over the searched partitions
     * @param score     what it added to the hit's score
     */
    public record TermMatch(String term, String clause, java.util.Map<String, Integer> frequency, double idf,
            double score) {
    }
}
