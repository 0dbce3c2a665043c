package io.engram.text;

import io.engram.text.internal.AnalysisChain;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns text into search terms. Safe to share between threads; create one and keep it.
 *
 * <p>{@link #index(String)} gives the terms to store for a text; {@link #query(String)} the
 * terms to look up for what a user typed. Both split words the same way; the query side also
 * drops stop words (unless nothing else is left), so the longest posting lists are never read for
 * words that cannot rank anything. Stop words are kept in the index: changing the stop list never
 * needs a rebuild, a query of stop words alone still finds what contains them, and phrases keep
 * their words.
 */
public final class TextAnalyzer {

    /**
     * The longest term, in chars; longer ones are dropped (their parts are kept). At most
     * 3 UTF-8 bytes per char, so a term takes at most 300 bytes of a database key.
     */
    public static final int MAX_TERM_LENGTH = 100;

    /**
     * Names the terms {@link #index} makes. Changes whenever any text could get different terms
     * (the chain, its settings or the Lucene release), so an index stored with it can tell that
     * it must be rebuilt.
     */
    private static final String ID = "engram.text/1";

    private final Set<String> stopWords;
    private final AnalysisChain indexChain;
    private final AnalysisChain queryChain;

    private TextAnalyzer(Set<String> stopWords) {
        this.stopWords = stopWords;
        this.indexChain = new AnalysisChain(null, MAX_TERM_LENGTH);
        this.queryChain = stopWords.isEmpty() ? indexChain : new AnalysisChain(stopWords, MAX_TERM_LENGTH);
    }

    /** Queries drop Lucene's English stop words ({@code the}, {@code a}, {@code of}, ...). */
    public static TextAnalyzer english() {
        return new TextAnalyzer(Set.copyOf(AnalysisChain.englishStopWords()));
    }

    /** Queries drop these words (any case); an empty set keeps every word. */
    public static TextAnalyzer withQueryStopWords(Set<String> stopWords) {
        Set<String> lower = new TreeSet<>();
        for (String word : stopWords) {
            lower.add(word.toLowerCase(Locale.ROOT));
        }
        return new TextAnalyzer(Set.copyOf(lower));
    }

    /**
     * Names the terms {@link #index} makes: store it with an index, and rebuild the index when a
     * later release reports another. The stop words are not part of it (they are never indexed).
     */
    public String id() {
        return ID;
    }

    /** The lower-case words queries drop. */
    public Set<String> queryStopWords() {
        return stopWords;
    }

    /** The terms to store for {@code text}, with positions and offsets, in order. */
    public List<Token> index(String text) {
        return indexChain.tokens(Objects.requireNonNull(text, "text"));
    }

    /**
     * The terms to look up for {@code text}: as {@link #index}, without the stop words, unless the
     * text has nothing but stop words, when they are kept ({@code "the"} looks up {@code the}).
     * Positions keep a gap where a stop word was, so phrases still line up with the index.
     */
    public List<Token> query(String text) {
        Objects.requireNonNull(text, "text");
        List<Token> tokens = queryChain.tokens(text);
        return tokens.isEmpty() && queryChain != indexChain ? indexChain.tokens(text) : tokens;
    }
}
