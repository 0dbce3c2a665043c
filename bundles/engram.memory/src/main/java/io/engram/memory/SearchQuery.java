package io.engram.memory;

/**
 * A memory search: free text (blank lists newest first) and filters; a null filter does
 * not filter. {@code from} and {@code to} bound the creation time, both inclusive.
 */
public record SearchQuery(String text, int limit, Layer layer, String sessionId, String episodeId, Long from,
        Long to) {
}
