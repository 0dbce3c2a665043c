package io.engram.semantic;

import static io.engram.semantic.SemanticKeys.IDS;
import static io.engram.semantic.SemanticKeys.utf8;

import io.engram.api.search.SemanticHit;
import io.engram.api.store.ReadTxn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/** The best {@code limit} accepted vectors offered so far: most similar first, then by id. */
final class Ranking {

    private static final Comparator<SemanticHit> WORST_FIRST = Comparator
            .comparingDouble(SemanticHit::similarity)
            .thenComparing(SemanticHit::id, Comparator.reverseOrder());

    private final float[] query;
    private final int limit;
    private final int length;
    private final Predicate<String> accept;
    private final PriorityQueue<SemanticHit> best;
    private long offered;

    Ranking(float[] query, int limit, Predicate<String> accept) {
        this.query = query;
        this.limit = limit;
        this.length = Vectors.encodedLength(query.length);
        this.accept = accept;
        this.best = new PriorityQueue<>(Math.min(limit, 1_024) + 1, WORST_FIRST);
    }

    /**
     * Scores the stored vector under {@code key} ({@link SemanticKeys#vectorId} reads its id from the key's
     * {@code keyOffset}-th byte on).
     *
     * @param namespace the vector's namespace, or null when the key alone does not say (looked up at the end)
     * @return always true: a scan goes on
     */
    boolean offer(byte[] key, int keyOffset, byte[] value, String namespace) {
        offered++;
        if (value.length != length) {
            return true; // another model's or format's vector, replaced once the backfill reaches it
        }
        double similarity = Vectors.cosine(query, value);
        SemanticHit worst = best.size() < limit ? null : best.peek();
        if (worst != null && similarity < worst.similarity()) {
            return true;
        }
        SemanticHit hit = new SemanticHit(SemanticKeys.vectorId(key, keyOffset), namespace, similarity);
        if (worst != null && WORST_FIRST.compare(hit, worst) <= 0) {
            return true;
        }
        if (accept.test(hit.id())) {
            best.add(hit);
            if (best.size() > limit) {
                best.poll();
            }
        }
        return true;
    }

    /** How many vectors were offered. */
    long offered() {
        return offered;
    }

    /** Whether {@code limit} hits were accepted. */
    boolean full() {
        return best.size() >= limit;
    }

    /** The hits, best first, each with its namespace. */
    List<SemanticHit> hits(ReadTxn txn) {
        List<SemanticHit> hits = new ArrayList<>(best);
        hits.sort(WORST_FIRST.reversed());
        if (hits.stream().anyMatch(hit -> hit.namespace() == null)) {
            hits.replaceAll(hit -> hit.namespace() != null ? hit : new SemanticHit(hit.id(),
                    SemanticKeys.embeddedNamespace(Objects.requireNonNull(txn.get(IDS, utf8(hit.id())),
                            "namespace of " + hit.id())),
                    hit.similarity()));
        }
        return hits;
    }
}
