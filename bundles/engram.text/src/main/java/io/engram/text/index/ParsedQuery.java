package io.engram.text.index;

import io.engram.text.TextAnalyzer;
import io.engram.text.Token;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A query's text split into its parts: words (any may match), {@code "quoted phrases"} (each must
 * occur, its words in order) and prefixes ({@code pars*}). An unclosed quote runs to the end.
 */
record ParsedQuery(List<String> words, List<List<Token>> phrases, List<String> prefixes) {

    /** Shortest prefix taken as one (before the '*'); shorter ones are read as words. */
    static final int MIN_PREFIX = 2;

    boolean isEmpty() {
        return words.isEmpty() && phrases.isEmpty() && prefixes.isEmpty();
    }

    static ParsedQuery parse(String text, TextAnalyzer analyzer) {
        StringBuilder plain = new StringBuilder();
        List<List<Token>> phrases = new ArrayList<>();
        Set<String> prefixes = new LinkedHashSet<>();
        int at = 0;
        while (at < text.length()) {
            int quote = text.indexOf('"', at);
            String outside = quote < 0 ? text.substring(at) : text.substring(at, quote);
            for (String part : outside.split("\\s+")) {
                if (part.endsWith("*") && part.length() > MIN_PREFIX) {
                    String prefix = part.substring(0, part.length() - 1).toLowerCase(Locale.ROOT);
                    if (prefix.chars().allMatch(Character::isLetterOrDigit)) {
                        prefixes.add(prefix);
                        continue;
                    }
                }
                plain.append(part).append(' ');
            }
            if (quote < 0) {
                break;
            }
            int close = text.indexOf('"', quote + 1);
            String phrase = close < 0 ? text.substring(quote + 1) : text.substring(quote + 1, close);
            List<Token> tokens = analyzer.query(phrase);
            if (!tokens.isEmpty()) {
                int first = tokens.get(0).position();
                List<Token> relative = new ArrayList<>(tokens.size());
                for (Token token : tokens) {
                    relative.add(new Token(token.term(), token.position() - first, token.startOffset(),
                            token.endOffset()));
                }
                phrases.add(List.copyOf(relative));
            }
            at = close < 0 ? text.length() : close + 1;
        }
        Set<String> words = new LinkedHashSet<>();
        for (Token token : analyzer.query(plain.toString())) {
            words.add(token.term());
        }
        return new ParsedQuery(List.copyOf(words), List.copyOf(phrases), List.copyOf(prefixes));
    }
}
