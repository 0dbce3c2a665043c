package io.engram.api.search;

/**
 * A memory found by meaning.
 *
 * @param similarity cosine similarity of the query's and the memory's embeddings, -1 to 1 (higher is closer)
 */
public record SemanticHit(String id, String namespace, double similarity) {
}
