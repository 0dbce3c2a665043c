package io.engram.memory;

/**
 * The result of a delete: whether a visible memory was removed, the namespace it was in (null when
 * none was removed), whether it was backed up, and how many of its links to knowledge-graph
 * entities went with it.
 */
public record DeleteOutcome(boolean deleted, String namespace, boolean backedUp, int cascaded) {

    /** Nothing was deleted: no visible memory had the id. */
    static final DeleteOutcome NOTHING = new DeleteOutcome(false, null, false, 0);
}
