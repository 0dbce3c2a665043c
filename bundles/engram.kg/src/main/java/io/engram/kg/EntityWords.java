package io.engram.kg;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The words {@link EntityWordIndex} keeps for an entity, and the fragments it finds them by. A
 * word is a run of letters and digits of the lower-cased text; the search it serves is "contains,
 * ignoring case" (the reference memory server's search_nodes), so a query's own runs of letters and
 * digits each lie inside one word of any text that contains the query.
 *
 * <p>Key room in LMDB is 511 bytes, so a run longer than {@link #MAX_WORD} code points is kept as
 * overlapping pieces of that length, {@link #FRAGMENT} apart: any stretch of up to {@link #FRAGMENT}
 * code points still lies inside one piece. Fragments are a word's suffixes cut to {@link #FRAGMENT}
 * code points; a query run is looked up by its first {@link #FRAGMENT} code points. Runs shorter than
 * {@link #MIN_LOOKUP} are not looked up (a search with only such runs walks every entity), which
 * spares two keys per word.
 */
final class EntityWords {

    static final int FRAGMENT = 24;
    static final int MAX_WORD = 2 * FRAGMENT;
    /** Shorter query runs are in too many words to narrow a search, so shorter suffixes are not kept. */
    static final int MIN_LOOKUP = 3;

    private EntityWords() {
    }

    /** The words of an entity's name, entity type (may be null) and observations. */
    static Set<String> of(String name, String entityType, Collection<String> observations) {
        Set<String> words = new LinkedHashSet<>();
        addWords(words, name);
        if (entityType != null) {
            addWords(words, entityType);
        }
        for (String observation : observations) {
            addWords(words, observation);
        }
        return words;
    }

    /** The runs of letters and digits of the lower-cased {@code text}, each whole. */
    static List<String> runs(String text) {
        String lower = GraphKeys.lowerCase(text);
        List<String> runs = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < lower.length(); ) {
            int codePoint = lower.codePointAt(i);
            boolean inWord = Character.isLetterOrDigit(codePoint);
            if (inWord && start < 0) {
                start = i;
            } else if (!inWord && start >= 0) {
                runs.add(lower.substring(start, i));
                start = -1;
            }
            i += Character.charCount(codePoint);
        }
        if (start >= 0) {
            runs.add(lower.substring(start));
        }
        return runs;
    }

    /** What a query run is looked up by: its first {@link #FRAGMENT} code points. */
    static String lookup(String run) {
        return codePoints(run, 0, FRAGMENT);
    }

    /**
     * The distinct suffixes of {@code word} of at least {@link #MIN_LOOKUP} code points, each cut to
     * {@link #FRAGMENT} code points, and the word's own start ({@link #lookup} of the word) however short.
     */
    static Set<String> fragments(String word) {
        Set<String> fragments = new LinkedHashSet<>();
        fragments.add(lookup(word));
        int length = word.codePointCount(0, word.length());
        for (int start = 1; start + MIN_LOOKUP <= length; start++) {
            fragments.add(codePoints(word, start, FRAGMENT));
        }
        return fragments;
    }

    private static void addWords(Set<String> words, String text) {
        for (String run : runs(text)) {
            int length = run.codePointCount(0, run.length());
            if (length <= MAX_WORD) {
                words.add(run);
                continue;
            }
            for (int start = 0; ; start += FRAGMENT) {
                words.add(codePoints(run, start, MAX_WORD));
                if (start + MAX_WORD >= length) {
                    break;
                }
            }
        }
    }

    /** Up to {@code count} code points of {@code text} from code point {@code start}. */
    private static String codePoints(String text, int start, int count) {
        int from = text.offsetByCodePoints(0, start);
        int available = text.codePointCount(from, text.length());
        return text.substring(from, text.offsetByCodePoints(from, Math.min(count, available)));
    }
}
