package io.engram.text.index;

import java.util.List;

/**
 * The answer to a {@link TextQuery}.
 *
 * @param total      how many documents match, before the limit (every page together); exact when
 *                   {@code totalExact}, otherwise at least this many (counting stops at
 *                   {@link TextIndex#EXACT_TOTAL_UP_TO} so that a common word does not cost a full walk)
 * @param more       whether hits rank after the last one returned
 */
public record TextResult(List<TextHit> hits, long total, boolean totalExact, boolean more) {
}
