package io.engram.memory;

import io.engram.text.index.TextHit;
import java.util.List;

/**
 * One found memory with its relevance score and the query terms it matched.
 *
 * @param terms    what each matched term contributed (BM25F), best first; empty when found without the index
 * @param indexDoc its number in the text index, which orders equal scores; 0 when found without the index
 */
public record SearchHit(Memory memory, double score, List<String> matchedTerms, List<TextHit.TermMatch> terms,
        long indexDoc) {

    public SearchHit(Memory memory, double score, List<String> matchedTerms) {
        this(memory, score, matchedTerms, List.of(), 0);
    }
}
