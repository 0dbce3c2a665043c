package io.engram.memory;

import java.util.List;

/** One found memory with its relevance score and the query terms it matched. */
public record SearchHit(Memory memory, double score, List<String> matchedTerms) {
}
