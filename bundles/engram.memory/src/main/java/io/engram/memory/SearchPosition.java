package io.engram.memory;

/**
 * A place in a search's ranking: that of a hit with this score, creation time and id. Without the
 * index, hits are ranked by score, then newest first, then by id ({@link Bm25#BEST_FIRST}); the index
 * orders equal scores by its document number ({@code indexDoc}, 0 for a hit found without it).
 */
public record SearchPosition(double score, long createdAt, String id, long indexDoc) {

    public SearchPosition(double score, long createdAt, String id) {
        this(score, createdAt, id, 0);
    }

    /** The position of {@code hit}. */
    static SearchPosition of(SearchHit hit) {
        return new SearchPosition(hit.score(), hit.memory().createdAt(), hit.memory().id(), hit.indexDoc());
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
