package io.engram.memory;

/**
 * How a hybrid search ranked one memory: its place in the text and in the semantic ranking (null where
 * it was not among the first {@code depth}) and what each added to its fused score (reciprocal rank fusion:
 * {@code weight / (k + rank)}).
 */
public record Fusion(Integer textRank, Double textScore, Integer semanticRank, Double similarity, double textPart,
        double semanticPart, int k) {
}
