package io.engram.semantic;

/**
 * @param batchSize texts embedded together and stored in one write transaction
 * @param pollIntervalMs how often the worker looks for work queued by other processes sharing the store (work
 *        queued by this process wakes it at once)
 * @param clusterFrom from how many stored vectors on searches use the clustered (approximate) index
 * @param searchShare the share of all vectors a clustered search reads at least
 * @param searchMinCandidates how many vectors a clustered search reads at least
 */
record SemanticSettings(int batchSize, long pollIntervalMs, long clusterFrom, double searchShare,
        int searchMinCandidates) {

    static final SemanticSettings DEFAULTS = new SemanticSettings(32, 5_000, 20_000, 0.02, 10_000);

    SemanticSettings(int batchSize, long pollIntervalMs) {
        this(batchSize, pollIntervalMs, DEFAULTS.clusterFrom(), DEFAULTS.searchShare(),
                DEFAULTS.searchMinCandidates());
    }

    /** How many vectors a clustered search over a store of {@code vectors} reads at least. */
    long searchCandidates(long vectors) {
        return Math.max(searchMinCandidates, (long) Math.ceil(searchShare * vectors));
    }
}
