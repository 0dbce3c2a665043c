package io.engram.compat;

/**
 * Limits of read_graph and search_nodes answers.
 *
 * @param responseBudgetChars characters of entities and relations a page holds at most (the first entity always)
 * @param defaultLimit        entities per page when the call gives no limit
 * @param maxLimit            the largest limit a call may ask for
 */
public record CompatSettings(int responseBudgetChars, int defaultLimit, int maxLimit) {

    /** About 2,000 tokens a page: the reference server's read_graph costs 50-80k tokens at 150 entities. */
    public static final CompatSettings DEFAULTS = new CompatSettings(8_000, 100, 500);
}
