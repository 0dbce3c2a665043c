package io.engram.memory;

/**
 * The result of a delete: whether a visible memory was removed, whether it was backed up, and how
 * many of its links to knowledge-graph entities went with it.
 */
public record DeleteOutcome(boolean deleted, boolean backedUp, int cascaded) {
}
