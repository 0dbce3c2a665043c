package io.engram.semantic;

/**
 * @param batchSize texts embedded together and stored in one write transaction
 * @param pollIntervalMs how often the worker looks for work queued by other processes sharing the store (work
 *        queued by this process wakes it at once)
 */
record SemanticSettings(int batchSize, long pollIntervalMs) {

    static final SemanticSettings DEFAULTS = new SemanticSettings(32, 5_000);
}
