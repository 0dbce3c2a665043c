package io.engram.memory;

import io.engram.text.index.TextHit;
import java.util.List;

/**
 * One found memory with its relevance score and the query terms it matched.
 *
 * @param terms    what each matched term contributed (BM25F), best first; empty when found without the index
 * @param indexDoc its number in the text index, which orders equal scores; 0 when found without the index
 * @param fusion   how a hybrid or semantic search ranked it; null for a text search
 */
public record SearchHit(Memory memory, double score, List<String> matchedTerms, List<TextHit.TermMatch> terms,
        long indexDoc, Fusion fusion) {

    public SearchHit(Memory memory, double score, List<String> matchedTerms) {
        this(memory, score, matchedTerms, List.of(), 0, null);
    }

    /** This hit with the fused score of a hybrid or semantic search. */
    SearchHit fused(double fusedScore, Fusion how) {
        return new SearchHit(memory, fusedScore, matchedTerms, terms, 0, how);
    }
}
