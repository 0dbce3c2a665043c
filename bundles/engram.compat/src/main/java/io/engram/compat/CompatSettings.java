package io.engram.compat;

/**
 * Settings of the reference-compatible tools (config/engram.compat.cfg).
 *
 * @param namespace           the namespace every call uses unless it names one; null for the
 *                            session's (the client's workspace)
 * @param responseBudgetChars characters of entities and relations a read_graph or search_nodes
 *                            answer holds at most (the first entity always)
 * @param maxLimit            the largest limit a call may ask for; calls without one get
 *                            {@link #defaultLimit()}
 */
public record CompatSettings(String namespace, int responseBudgetChars, int maxLimit) {

    /** Entities per page when a call gives no limit (at most maxLimit). */
    static final int DEFAULT_LIMIT = 100;

    /** About 2,000 tokens a page: the reference server's read_graph costs 50-80k tokens at 150 entities. */
    public static final CompatSettings DEFAULTS = new CompatSettings(null, 8_000, 500);

    public CompatSettings {
        namespace = namespace == null || namespace.isBlank() ? null : namespace.trim();
    }

    int defaultLimit() {
        return Math.min(DEFAULT_LIMIT, maxLimit);
    }
}
