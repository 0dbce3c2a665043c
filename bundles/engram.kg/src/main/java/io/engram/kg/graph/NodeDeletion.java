package io.engram.kg.graph;

/**
 * What deleting a node removed.
 *
 * @param deleted      whether the node existed
 * @param edgesRemoved its edges, in either direction
 * @param tagsRemoved  its tags
 */
public record NodeDeletion(boolean deleted, int edgesRemoved, int tagsRemoved) {
}
