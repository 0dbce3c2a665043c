package io.engram.api.search;

import io.engram.api.store.ReadTxn;
import io.engram.api.store.WriteTxn;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Ranks memories by meaning, from embeddings computed in this process with no network. Provided by
 * the optional semantic bundle; memory search fuses it with the text ranking when the service is
 * present and ranks by text alone when it is not.
 *
 * <p>The write-side calls ({@link #textChanged}, {@link #removed}, {@link #backfilled}) run inside the
 * memory's own write transaction and must be quick: they only record, in the store, what has to be
 * embedded or forgotten. Embedding happens later on the provider's own thread and in its own
 * transactions, so a memory is acknowledged without waiting for its vector, and a crash or kill
 * never leaves an acknowledged memory unembedded once the store is open again (the record of work
 * to do commits with the memory). Until its vector is stored a memory is found by text only.
 */
@ProviderType
public interface SemanticIndex {

    /**
     * The memory {@code id} in {@code namespace} now has {@code text} (new or changed): embed it, replacing
     * any vector it had. Called in the memory's write transaction.
     */
    void textChanged(WriteTxn txn, String namespace, String id, String text);

    /** The memory {@code id} is gone: forget its vector and any pending work for it. In the memory's write transaction. */
    void removed(WriteTxn txn, String namespace, String id);

    /**
     * Whether memories stored before this index existed (or before its model changed) may lack vectors, so
     * that the memory engine must hand every stored memory to {@link #textChanged} once and then call
     * {@link #backfilled}.
     */
    boolean needsBackfill(ReadTxn txn);

    /** Every stored memory has been handed to {@link #textChanged}: {@link #needsBackfill} is false from now on. */
    void backfilled(WriteTxn txn);

    /**
     * The memories closest in meaning to {@code query} among {@code namespaces}, most similar first: at most
     * {@code limit} of those {@code accept} takes (by id). {@code accept} is consulted only for a memory that
     * would enter the answer, so it may read the store. Memories whose vectors are still pending are not found.
     */
    List<SemanticHit> nearest(String query, Set<String> namespaces, int limit, Predicate<String> accept);

    /** Memories waiting to be embedded, in every process sharing the store. */
    long pending();

    /** Names the embedding model, for status and {@code explain}. */
    String modelId();
}
