package io.engram.memory;

import java.util.Set;

/**
 * A memory search: free text (blank lists newest first) and filters; a null filter does
 * not filter. {@code from} and {@code to} bound the creation time, both inclusive.
 *
 * @param namespaces the namespaces searched; null searches every namespace
 * @param after      where the previous page ended: only hits ranked after it are returned; null for the first page
 */
public record SearchQuery(String text, int limit, Layer layer, String sessionId, String episodeId, Long from,
        Long to, Set<String> namespaces, SearchPosition after) {

    public SearchQuery {
        namespaces = namespaces == null ? null : Set.copyOf(namespaces);
    }

    /** The first page of a search of {@code namespaces}. */
    public SearchQuery(String text, int limit, Layer layer, String sessionId, String episodeId, Long from, Long to,
            Set<String> namespaces) {
        this(text, limit, layer, sessionId, episodeId, from, to, namespaces, null);
    }

    /** A search across every namespace. */
    public SearchQuery(String text, int limit, Layer layer, String sessionId, String episodeId, Long from, Long to) {
        this(text, limit, layer, sessionId, episodeId, from, to, null);
    }

    /** The same search, continuing after {@code position} (null: from the start). */
    public SearchQuery after(SearchPosition position) {
        return new SearchQuery(text, limit, layer, sessionId, episodeId, from, to, namespaces, position);
    }
}
