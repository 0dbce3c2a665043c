package io.engram.memory;

import java.util.Set;

/**
 * A memory search: free text (blank lists newest first) and filters; a null filter does
 * not filter. {@code from} and {@code to} bound the creation time, both inclusive.
 *
 * @param namespaces the namespaces searched; null searches every namespace
 */
public record SearchQuery(String text, int limit, Layer layer, String sessionId, String episodeId, Long from,
        Long to, Set<String> namespaces) {

    public SearchQuery {
        namespaces = namespaces == null ? null : Set.copyOf(namespaces);
    }

    /** A search across every namespace. */
    public SearchQuery(String text, int limit, Layer layer, String sessionId, String episodeId, Long from, Long to) {
        this(text, limit, layer, sessionId, episodeId, from, to, null);
    }
}
