package io.engram.kg.graph;

import java.util.List;

/**
 * A node as stored. Entities carry tags, a mention count (the MENTIONS edges into them), an
 * optional entity type and observations (the reference memory server's model); other nodes
 * leave those empty.
 *
 * @param createdAt epoch milliseconds
 * @param updatedAt epoch milliseconds of the last change to the node itself
 */
public record Node(String namespace, NodeKey key, String entityType, List<String> observations, List<String> tags,
        long mentionCount, long createdAt, long updatedAt) {

    public Node {
        observations = List.copyOf(observations);
        tags = List.copyOf(tags);
    }
}
