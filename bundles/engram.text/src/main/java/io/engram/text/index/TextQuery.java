package io.engram.text.index;

import java.util.Objects;
import java.util.Set;

/**
 * A search of a {@link TextIndex}.
 *
 * <p>{@code text} holds words (any matches; more and rarer matches rank higher), {@code "quoted phrases"}
 * (must appear, words in that order) and prefixes ({@code pars*}: words starting so). Blank text lists
 * the documents newest first, score 0.
 *
 * @param partitions the partitions searched; null for every partition
 * @param keywords   documents must carry every one of these keywords
 * @param timeFrom   documents made at or after (epoch ms), or null
 * @param timeTo     documents made at or before (epoch ms), or null
 * @param now        documents expired at this time are never found
 * @param boosts     weight of each field, in the index's field order (missing = 1)
 * @param after      return only what ranks after this place (the previous page's last hit), or null
 * @param explain    whether hits say what each term contributed
 */
public record TextQuery(String text, Set<String> partitions, Set<String> keywords, Long timeFrom, Long timeTo,
        long now, double[] boosts, int limit, Position after, boolean explain) {

    public TextQuery {
        text = text == null ? "" : text;
        partitions = partitions == null ? null : Set.copyOf(partitions);
        keywords = keywords == null ? Set.of() : Set.copyOf(keywords);
        boosts = boosts == null ? new double[0] : boosts.clone();
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
    }

    /**
     * Where a page ended. Ranked hits are ordered by score (highest first), then by {@code doc}, the
     * document's number in the index (most recently indexed first: ties never need the documents read);
     * the newest-first listing of a blank query by time, then id (both last first).
     */
    public record Position(double score, long time, String id, long doc) {
        public Position {
            Objects.requireNonNull(id, "id");
        }
    }
}
