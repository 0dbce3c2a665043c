package io.engram.memory;

import io.engram.api.search.SemanticIndex;
import io.engram.api.store.WriteTxn;
import io.engram.text.index.PreparedDocument;
import java.util.List;

/**
 * What is kept about a memory besides its record, always changed in the memory's own write
 * transaction: its text index entries, its links to the entities it names (while engram.kg runs) and
 * its place in the semantic index's work (while the semantic bundle runs). One snapshot per write, so
 * a write sees one consistent set even while bundles come and go.
 *
 * @param mentions null while the knowledge graph is not running
 * @param semantic null while semantic search is not installed
 */
record Derived(MemoryTextIndex text, MentionLinks mentions, SemanticIndex semantic) {

    /** Keyspace of the engine's own markers. */
    static final String META = "memory.meta";
    /**
     * Set by a change made while no semantic index was running (in this process or another): the memories
     * must be handed to one again when it arrives ({@link MemoryEngine#backfillSemantic}).
     */
    static final byte[] UNSEEN_BY_SEMANTIC = "semantic.unseen".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /**
     * {@code memory} was stored (new, or changed): index it; when its text is new or changed, link the
     * entities it names and queue it to be embedded. Returns the entity names linked (null without the graph
     * or when the text did not change).
     */
    List<String> stored(WriteTxn txn, Memory memory, PreparedDocument indexed, boolean textChanged) {
        text.put(txn, indexed);
        if (!textChanged) {
            return null;
        }
        if (semantic != null) {
            semantic.textChanged(txn, memory.namespace(), memory.id(), memory.content());
        } else {
            markUnseen(txn);
        }
        return mentions == null ? null : mentions.link(txn, memory.id(), memory.namespace(), memory.content(),
                memory.entities() == null ? List.of() : memory.entities());
    }

    /** Counts the changes no semantic index saw, so a backfill clears the marker only if none came meanwhile. */
    private static void markUnseen(WriteTxn txn) {
        txn.put(META, UNSEEN_BY_SEMANTIC, java.nio.ByteBuffer.allocate(8).putLong(unseen(txn) + 1).array());
    }

    /** How many changes no semantic index saw since the marker was last cleared (0: none). */
    static long unseen(io.engram.api.store.ReadTxn txn) {
        byte[] value = txn.get(META, UNSEEN_BY_SEMANTIC);
        return value == null ? 0 : java.nio.ByteBuffer.wrap(value).getLong();
    }

    /** {@code memory} was deleted: drop what was derived from it; returns the entity links removed. */
    int removed(WriteTxn txn, Memory memory) {
        text.remove(txn, memory.id());
        if (semantic != null) {
            semantic.removed(txn, memory.namespace(), memory.id());
        } else {
            markUnseen(txn);
        }
        return mentions == null ? 0 : mentions.unlink(txn, memory.id(), memory.namespace());
    }
}
