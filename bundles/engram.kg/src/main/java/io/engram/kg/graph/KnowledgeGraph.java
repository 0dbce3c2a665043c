package io.engram.kg.graph;

import io.engram.api.store.ReadTxn;
import io.engram.api.store.WriteTxn;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The knowledge graph over the Store service, working in the caller's transaction: every method
 * that changes something takes the {@link WriteTxn} of the caller's {@code Store.write}, so a
 * memory and the MENTIONS edges to the entities it names commit together, and a failure anywhere
 * in that work leaves none of it. Each change keeps every index in step (edges by source and by
 * destination, tags, mention counts, the case-insensitive name index).
 *
 * <p>Namespaces are checked with {@link GraphNames#namespace}; a bad name, key, relation or tag
 * throws {@link IllegalArgumentException} before anything is written.
 */
@ProviderType
public interface KnowledgeGraph {

    /** Creates the node when missing; returns whether it was created. */
    boolean ensureNode(WriteTxn txn, String namespace, NodeKey key);

    /**
     * Adds the edge {@code src -relation-> dst}, creating missing endpoints; returns whether the
     * edge is new. A new MENTIONS edge into an entity adds one to its mention count.
     *
     * @param relation null or blank for {@link Relations#RELATED}; normalised by {@link Relations#normalize}
     */
    boolean relate(WriteTxn txn, String namespace, NodeKey src, NodeKey dst, String relation);

    /** Removes the edge; returns whether it existed. Removing a MENTIONS edge into an entity counts one less. */
    boolean unrelate(WriteTxn txn, String namespace, NodeKey src, NodeKey dst, String relation);

    /**
     * Deletes the node with every edge into or out of it (keeping the mention counts of the
     * entities it mentioned exact) and, for an entity, its tags.
     */
    NodeDeletion deleteNode(WriteTxn txn, String namespace, NodeKey key);

    /** Adds tags to the entity (creating it when missing); tags are trimmed and kept once each. */
    TagChange tag(WriteTxn txn, String namespace, String entity, Collection<String> tags);

    /** Removes tags from the entity; a missing entity changes nothing. */
    TagChange untag(WriteTxn txn, String namespace, String entity, Collection<String> tags);

    /**
     * Creates or changes an entity in the reference memory server's terms: sets its entity type
     * (null keeps the current one), appends observations it does not have yet and removes the
     * ones listed. Returns the entity as it is now.
     */
    Node updateEntity(WriteTxn txn, String namespace, String entity, String entityType,
            Collection<String> addObservations, Collection<String> removeObservations);

    /** The node, if it exists. */
    Optional<Node> node(ReadTxn txn, String namespace, NodeKey key);

    /**
     * The entities of {@code namespace} whose names occur in {@code text}, each once, in the order
     * they first occur: the names a memory or document mentions. Case does not matter and a run of
     * white space matches one space; a name never starts or ends inside a word of the text (letters,
     * digits and {@code _} make words) but may hold punctuation ({@code std::vector}, {@code Node.js});
     * where names overlap at one place the longest wins. The cost grows with the text, not with the
     * number of entities (a walk of the case-insensitive name index).
     */
    List<NodeKey> entitiesNamedIn(ReadTxn txn, String namespace, String text);

    /**
     * Up to {@code limit} entities of the namespace whose names come after {@code after} (null: from
     * the first), in name order (by UTF-8 bytes), each with its whole record: a walk over every
     * entity a page at a time, resumed with the last name of the previous page.
     *
     * @since 0.2.0
     */
    List<Node> entities(ReadTxn txn, String namespace, String after, int limit);

    /**
     * Up to {@code limit} entities of the namespace after {@code after} (null: from the first), in
     * name order, whose name, entity type or one of whose observations contains {@code text},
     * ignoring case: the reference memory server's search. An index of the words of those fields
     * finds them, so the cost grows with the matches, not with the namespace; a text with no letter
     * or digit, or only very common short ones, walks every entity.
     *
     * @since 0.2.0
     */
    List<Node> entitiesContaining(ReadTxn txn, String namespace, String text, String after, int limit);

    /** Up to {@code limit} edges out of {@code key}, ordered by relation, then destination. */
    List<Edge> edgesFrom(ReadTxn txn, String namespace, NodeKey key, int limit);

    /** Up to {@code limit} edges into {@code key}, ordered by relation, then source. */
    List<Edge> edgesTo(ReadTxn txn, String namespace, NodeKey key, int limit);
}
