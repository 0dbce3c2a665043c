package io.engram.memory;

import java.util.List;

/**
 * The best hits of a search after its position, at most its limit; how many memories matched in all
 * (every page together); and whether more hits are ranked after those returned.
 */
public record SearchResult(List<SearchHit> hits, int total, boolean more) {
}
