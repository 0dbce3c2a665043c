package io.engram.memory;

import io.engram.api.store.WriteTxn;
import java.util.List;

/**
 * Links memories to the knowledge-graph entities they mention, inside the memory's own write
 * transaction, so a memory and its links commit together or not at all. Provided by
 * {@link GraphMentionLinks} when the knowledge graph (engram.kg) runs; without it memories have no
 * links. Its methods name no graph type, so this bundle loads without the graph's package.
 */
public interface MentionLinks {

    /**
     * Checks entity names given by the caller before anything is written.
     *
     * @throws io.engram.api.tool.InvalidArgumentException naming {@code field[i]} of a name the graph refuses
     */
    void checkNames(String field, List<String> names);

    /**
     * Makes the memory's mentions exactly the known entities its content names plus {@code named}
     * (created when missing), adding and removing MENTIONS edges as needed.
     *
     * @return the names of the entities linked, in the order found
     */
    List<String> link(WriteTxn txn, String memoryId, String namespace, String content, List<String> named);

    /**
     * Removes the memory's node and its links (the entities' mention counts go down).
     *
     * @return the links removed
     */
    int unlink(WriteTxn txn, String memoryId, String namespace);
}
