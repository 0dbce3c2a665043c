package io.engram.semantic;

import static io.engram.semantic.SemanticKeys.IDS;
import static io.engram.semantic.SemanticKeys.utf8;

import io.engram.api.search.SemanticHit;
import io.engram.api.store.ReadTxn;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * The best {@code limit} accepted vectors offered: most similar first, then by id.
 *
 * <p>{@code accept} may be costly (the memory engine reads and decodes the memory to check it is visible and
 * passes the filters), so by default it is asked late: the ranking keeps the best {@link #POOL} × {@code limit}
 * candidates unvetted and, at the end, asks about them best first until {@code limit} are accepted, about
 * {@code limit} calls when most are accepted instead of one per candidate that enters the top while the scan is
 * young (several times {@code limit}). When the pool runs out with fewer accepted and candidates fell out of it,
 * {@link #hits} says so and the caller searches again with a ranking that vets as it goes ({@link #vettingEarly}).
 */
final class Ranking {

    /** The unvetted pool of a late-vetting ranking, in multiples of {@code limit}. */
    static final int POOL = 2;

    private static final Comparator<SemanticHit> WORST_FIRST = Comparator
            .comparingDouble(SemanticHit::similarity)
            .thenComparing(SemanticHit::id, Comparator.reverseOrder());

    private final float[] query;
    private final int limit;
    private final int length;
    private final Predicate<String> accept;
    private final boolean vetLate;
    /** How many candidates {@link #best} keeps: {@code limit}, or the pool when vetting late. */
    private final int capacity;
    private final PriorityQueue<SemanticHit> best;
    /** The vector being scored, copied out of the store's view: array reads are what the scoring loop is fast on. */
    private final byte[] stored;
    private long offered;
    private boolean dropped;

    private Ranking(float[] query, int limit, Predicate<String> accept, boolean vetLate) {
        this.query = query;
        this.limit = limit;
        this.length = Vectors.encodedLength(query.length);
        this.accept = accept;
        this.vetLate = vetLate;
        this.capacity = vetLate ? (int) Math.min(Integer.MAX_VALUE - 1, (long) limit * POOL) : limit;
        this.best = new PriorityQueue<>(Math.min(capacity, 1_024) + 1, WORST_FIRST);
        this.stored = new byte[length];
    }

    /** A ranking that asks {@code accept} at the end, about the best candidates first. */
    static Ranking vettingLate(float[] query, int limit, Predicate<String> accept) {
        return new Ranking(query, limit, accept, true);
    }

    /** A ranking that asks {@code accept} about every candidate that would enter the top {@code limit}. */
    static Ranking vettingEarly(float[] query, int limit, Predicate<String> accept) {
        return new Ranking(query, limit, accept, false);
    }

    /**
     * Scores the stored vector under {@code key} ({@link SemanticKeys#vectorId} reads its id from the key's
     * {@code keyOffset}-th byte on). Both are the store's in-place views ({@link ReadTxn#scanPrefixInPlace}):
     * only the key of a vector that enters the ranking is copied.
     *
     * @param namespace the vector's namespace, or null when the key alone does not say (looked up at the end)
     * @return always true: a scan goes on
     */
    boolean offer(ByteBuffer key, int keyOffset, ByteBuffer value, String namespace) {
        offered++;
        if (value.remaining() != length) {
            return true; // another model's or format's vector, replaced once the backfill reaches it
        }
        value.get(value.position(), stored);
        double similarity = Vectors.cosine(query, stored);
        SemanticHit worst = best.size() < capacity ? null : best.peek();
        if (worst != null && similarity < worst.similarity()) {
            dropped = true;
            return true;
        }
        byte[] keyBytes = new byte[key.remaining()];
        key.get(key.position(), keyBytes);
        SemanticHit hit = new SemanticHit(SemanticKeys.vectorId(keyBytes, keyOffset), namespace, similarity);
        if (worst != null && WORST_FIRST.compare(hit, worst) <= 0) {
            dropped = true;
            return true;
        }
        if (vetLate || accept.test(hit.id())) {
            best.add(hit);
            if (best.size() > capacity) {
                best.poll();
                dropped = true;
            }
        }
        return true;
    }

    /** How many vectors were offered. */
    long offered() {
        return offered;
    }

    /** How many candidates the ranking keeps. */
    int capacity() {
        return capacity;
    }

    /** Whether {@code accept} is asked at the end ({@link #vettingLate}). */
    boolean vetsLate() {
        return vetLate;
    }

    /** Candidates were left out before being offered (a shortlist): as if the ranking had dropped them. */
    void candidatesDroppedBefore() {
        dropped = true;
    }

    /** Whether the ranking holds as many candidates as it keeps (accepted ones, when vetting early). */
    boolean full() {
        return best.size() >= capacity;
    }

    /**
     * The hits, best first, each with its namespace; null when vetting late left fewer than {@code limit}
     * accepted while candidates fell out of the pool (then search again {@link #vettingEarly}).
     */
    List<SemanticHit> hits(ReadTxn txn) {
        List<SemanticHit> hits = new ArrayList<>(best);
        hits.sort(WORST_FIRST.reversed());
        if (vetLate) {
            List<SemanticHit> accepted = new ArrayList<>(Math.min(limit, hits.size()));
            for (SemanticHit hit : hits) {
                if (accepted.size() == limit) {
                    break;
                }
                if (accept.test(hit.id())) {
                    accepted.add(hit);
                }
            }
            if (accepted.size() < limit && dropped) {
                return null;
            }
            hits = accepted;
        }
        if (hits.stream().anyMatch(hit -> hit.namespace() == null)) {
            hits.replaceAll(hit -> hit.namespace() != null ? hit : new SemanticHit(hit.id(),
                    SemanticKeys.embeddedNamespace(Objects.requireNonNull(txn.get(IDS, utf8(hit.id())),
                            "namespace of " + hit.id())),
                    hit.similarity()));
        }
        return hits;
    }
}
