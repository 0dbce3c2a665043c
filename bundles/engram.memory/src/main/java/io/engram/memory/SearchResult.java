package io.engram.memory;

import java.util.List;

/** The best hits of a search, at most its limit, and how many memories matched in all. */
public record SearchResult(List<SearchHit> hits, int total) {
}
