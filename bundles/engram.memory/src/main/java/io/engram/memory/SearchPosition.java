package io.engram.memory;

/**
 * A place in a search's ranking: that of a hit with this score, creation time and id. Hits are
 * ranked by score, then newest first, then by id ({@link Bm25#BEST_FIRST}), so it orders every hit.
 */
public record SearchPosition(double score, long createdAt, String id) {

    /** The position of {@code hit}. */
    static SearchPosition of(SearchHit hit) {
        return new SearchPosition(hit.score(), hit.memory().createdAt(), hit.memory().id());
    }

    /** Whether {@code hit} is ranked after this position. */
    boolean isBefore(SearchHit hit) {
        int byScore = Double.compare(hit.score(), score);
        if (byScore != 0) {
            return byScore < 0;
        }
        int byAge = Long.compare(hit.memory().createdAt(), createdAt);
        if (byAge != 0) {
            return byAge < 0;
        }
        return hit.memory().id().compareTo(id) < 0;
    }
}
