package io.engram.memory;

import java.util.List;

/**
 * The best hits of a search after its position, at most its limit; how many memories matched in all
 * (every page together: exact when {@code totalExact}, else at least that many); and whether more hits
 * are ranked after those returned; and how it was ranked ({@code mode}: a semantic or hybrid search asked for
 * without the semantic bundle is answered by text).
 */
public record SearchResult(List<SearchHit> hits, long total, boolean totalExact, boolean more, SearchMode mode) {

    public SearchResult(List<SearchHit> hits, long total, boolean totalExact, boolean more) {
        this(hits, total, totalExact, more, SearchMode.TEXT);
    }

    public SearchResult(List<SearchHit> hits, long total, boolean more) {
        this(hits, total, true, more);
    }
}
