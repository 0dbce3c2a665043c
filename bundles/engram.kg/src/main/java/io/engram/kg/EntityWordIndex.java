package io.engram.kg;

import io.engram.api.store.ReadTxn;
import io.engram.api.store.WriteTxn;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The entities of a namespace by the words of their name, entity type and observations, kept in
 * the graph's own write transactions ({@link GraphKeys#WORDS}), and the namespace's words by their
 * fragments ({@link GraphKeys#FRAGMENTS}), so that "which entities contain this text, ignoring
 * case" reads a few postings instead of every entity.
 *
 * <p>A hand-written index rather than Lucene's: it must commit in the same LMDB transaction as the
 * entity (several processes share the store; a second index with its own lock or files would go
 * stale under them), and substring matching needs fragments, which full-text analyzers do not make.
 */
final class EntityWordIndex {

    /**
     * A query run found in more words than this narrows too little to be worth merging their
     * postings (a one-letter query is in most words): the other runs narrow, or the caller walks.
     */
    static final int MAX_WORDS_PER_RUN = 64;

    private static final byte[] EMPTY = new byte[0];

    private EntityWordIndex() {
    }

    /** Moves the entity's postings from the words {@code before} to the words {@code after}. */
    static void update(WriteTxn txn, String ns, String entity, Set<String> before, Set<String> after) {
        for (String word : before) {
            if (!after.contains(word)) {
                txn.delete(GraphKeys.WORDS, GraphKeys.key(ns, word, entity));
                if (!hasPostings(txn, ns, word)) { // its last entity: the word leaves the namespace
                    for (String fragment : EntityWords.fragments(word)) {
                        txn.delete(GraphKeys.FRAGMENTS, GraphKeys.key(ns, fragment, word));
                    }
                }
            }
        }
        for (String word : after) {
            if (!before.contains(word)) {
                if (!isKnown(txn, ns, word)) {
                    for (String fragment : EntityWords.fragments(word)) {
                        txn.put(GraphKeys.FRAGMENTS, GraphKeys.key(ns, fragment, word), EMPTY);
                    }
                }
                txn.put(GraphKeys.WORDS, GraphKeys.key(ns, word, entity), EMPTY);
            }
        }
    }

    /** Whether the namespace has the word: its first fragment is kept exactly as long as it has postings. */
    private static boolean isKnown(ReadTxn txn, String ns, String word) {
        return txn.get(GraphKeys.FRAGMENTS, GraphKeys.key(ns, EntityWords.lookup(word), word)) != null;
    }

    private static boolean hasPostings(ReadTxn txn, String ns, String word) {
        boolean[] found = {false};
        txn.scanPrefix(GraphKeys.WORDS, GraphKeys.prefix(ns, word), (key, value) -> {
            found[0] = true;
            return false;
        });
        return found[0];
    }

    /**
     * The names, in order, of the entities that may contain {@code text} ignoring case: a superset
     * of those that do, each to be checked. Empty when the text has no run of letters or digits
     * that narrows the search (none of {@link EntityWords#MIN_LOOKUP} code points or more found in
     * at most {@link #MAX_WORDS_PER_RUN} words): then every entity has to be looked at.
     */
    static Optional<NameStream> candidates(ReadTxn txn, String ns, String text) {
        List<NameStream> perRun = new ArrayList<>();
        for (String run : new LinkedHashSet<>(EntityWords.runs(text))) {
            if (run.codePointCount(0, run.length()) < EntityWords.MIN_LOOKUP) {
                continue;
            }
            Optional<Set<String>> words = wordsContaining(txn, ns, run);
            if (words.isEmpty()) {
                continue;
            }
            if (words.get().isEmpty()) {
                return Optional.of(NameStream.empty()); // no word holds this run: no entity holds the text
            }
            List<NameStream> postings = new ArrayList<>();
            for (String word : words.get()) {
                postings.add(new NameStream.Postings(txn, GraphKeys.WORDS, GraphKeys.prefix(ns, word)));
            }
            perRun.add(postings.size() == 1 ? postings.get(0) : new NameStream.Union(postings));
        }
        if (perRun.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(perRun.size() == 1 ? perRun.get(0) : new NameStream.Intersection(perRun));
    }

    /**
     * The words holding the start of {@code run} (all of it when short), or empty when there are more
     * than {@link #MAX_WORDS_PER_RUN}.
     */
    private static Optional<Set<String>> wordsContaining(ReadTxn txn, String ns, String run) {
        byte[] prefix = GraphKeys.key(ns, EntityWords.lookup(run));
        Set<String> words = new LinkedHashSet<>();
        boolean[] tooMany = {false};
        txn.scanPrefix(GraphKeys.FRAGMENTS, prefix, (key, value) -> {
            List<String> parts = GraphKeys.parts(key);
            words.add(parts.get(parts.size() - 1));
            tooMany[0] = words.size() > MAX_WORDS_PER_RUN;
            return !tooMany[0];
        });
        return tooMany[0] ? Optional.empty() : Optional.of(words);
    }
}
