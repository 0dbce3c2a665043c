package io.engram.memory;

import java.util.Set;

/**
 * A memory search: free text (blank lists newest first) and filters; a null filter does
 * not filter. {@code from} and {@code to} bound the creation time, both inclusive.
 *
 * @param namespaces the namespaces searched; null searches every namespace
 * @param tags       memories must carry every one of these tags (metadata {@code tags}, any case); empty for any
 * @param after      where the previous page ended: only hits ranked after it are returned; null for the first page
 * @param mode       text, semantic or hybrid; null: hybrid when semantic search is installed, else text
 */
public record SearchQuery(String text, int limit, Layer layer, String sessionId, String episodeId, Long from,
        Long to, Set<String> namespaces, Set<String> tags, SearchPosition after, SearchMode mode) {

    public SearchQuery(String text, int limit, Layer layer, String sessionId, String episodeId, Long from, Long to,
            Set<String> namespaces, Set<String> tags, SearchPosition after) {
        this(text, limit, layer, sessionId, episodeId, from, to, namespaces, tags, after, null);
    }

    public SearchQuery {
        text = text == null ? "" : text;
        namespaces = namespaces == null ? null : Set.copyOf(namespaces);
        tags = tags == null ? Set.of() : Set.copyOf(tags);
    }

    /** The first page of a search of {@code namespaces}, any tags. */
    public SearchQuery(String text, int limit, Layer layer, String sessionId, String episodeId, Long from, Long to,
            Set<String> namespaces) {
        this(text, limit, layer, sessionId, episodeId, from, to, namespaces, null, null);
    }

    /** A search across every namespace. */
    public SearchQuery(String text, int limit, Layer layer, String sessionId, String episodeId, Long from, Long to) {
        this(text, limit, layer, sessionId, episodeId, from, to, null);
    }

    /** The same search, continuing after {@code position} (null: from the start). */
    public SearchQuery after(SearchPosition position) {
        return new SearchQuery(text, limit, layer, sessionId, episodeId, from, to, namespaces, tags, position, mode);
    }

    /** The same search ranked by {@code newMode}. */
    public SearchQuery withMode(SearchMode newMode) {
        return new SearchQuery(text, limit, layer, sessionId, episodeId, from, to, namespaces, tags, after, newMode);
    }

    /** The same search with another limit. */
    public SearchQuery withLimit(int newLimit) {
        return new SearchQuery(text, newLimit, layer, sessionId, episodeId, from, to, namespaces, tags, after, mode);
    }
}
