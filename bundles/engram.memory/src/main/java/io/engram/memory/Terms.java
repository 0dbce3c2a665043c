package io.engram.memory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into lower-case search terms. A word is a run of letters, digits and
 * underscores; a compound word such as {@code parseJsonFile} or {@code parse_json_file}
 * yields its parts ({@code parse}, {@code json}, {@code file}) and the whole joined
 * ({@code parsejsonfile}), so that code identifiers match both as a whole and in parts.
 */
final class Terms {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}\\p{Nd}_]+");
    private static final Pattern PART_BOUNDARY = Pattern.compile(
            "_+|(?<=[\\p{Ll}\\p{Nd}])(?=\\p{Lu})|(?<=\\p{Lu})(?=\\p{Lu}\\p{Ll})");

    private Terms() {
    }

    /** Every term of {@code text} in order, repeats included. */
    static List<String> of(String text) {
        List<String> terms = new ArrayList<>();
        if (text == null) {
            return terms;
        }
        Matcher word = WORD.matcher(text);
        while (word.find()) {
            List<String> parts = new ArrayList<>();
            for (String part : PART_BOUNDARY.split(word.group())) {
                if (!part.isEmpty()) {
                    parts.add(part.toLowerCase(Locale.ROOT));
                }
            }
            terms.addAll(parts);
            if (parts.size() > 1) {
                terms.add(String.join("", parts));
            }
        }
        return terms;
    }

    /** The distinct terms of {@code text}, in order of first appearance. */
    static List<String> distinct(String text) {
        return new ArrayList<>(new LinkedHashSet<>(of(text)));
    }
}
