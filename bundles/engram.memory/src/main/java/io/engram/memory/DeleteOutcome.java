package io.engram.memory;

/** The result of a delete: whether a visible memory was removed and whether it was backed up. */
public record DeleteOutcome(boolean deleted, boolean backedUp) {
}
