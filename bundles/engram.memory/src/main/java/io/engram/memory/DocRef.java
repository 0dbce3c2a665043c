package io.engram.memory;

/**
 * A memory's reference to a document, optionally to one of its chunks, with an optional
 * relevance score.
 */
public record DocRef(String docId, String chunkId, Double score) {
}
