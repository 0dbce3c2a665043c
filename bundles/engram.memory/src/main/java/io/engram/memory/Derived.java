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
        }
        return mentions == null ? null : mentions.link(txn, memory.id(), memory.namespace(), memory.content(),
                memory.entities() == null ? List.of() : memory.entities());
    }

    /** {@code memory} was deleted: drop what was derived from it; returns the entity links removed. */
    int removed(WriteTxn txn, Memory memory) {
        text.remove(txn, memory.id());
        if (semantic != null) {
            semantic.removed(txn, memory.namespace(), memory.id());
        }
        return mentions == null ? 0 : mentions.unlink(txn, memory.id(), memory.namespace());
    }
}
