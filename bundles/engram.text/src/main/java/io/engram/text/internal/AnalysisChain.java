package io.engram.text.internal;

import io.engram.text.Token;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterIterator;
import org.apache.lucene.analysis.pattern.PatternReplaceCharFilter;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * The Lucene chain behind {@code TextAnalyzer}. Every filter is constructed directly, never looked
 * up by name: Lucene's factory lookup goes through {@code ServiceLoader}, which does not see into
 * a bundle's class loader.
 *
 * <pre>
 * PatternReplaceCharFilter  an underscore between an acronym and the next word: HTTPServer -> HTTP_Server
 * PatternTokenizer          words, with identifiers, paths, dotted names, versions and URLs kept whole
 * WordDelimiterGraphFilter  their parts (camelCase, snake_case, digits, punctuation), the whole kept too
 * FlattenGraphFilter        the graph made into plain positions, as an index stores them
 * LowerCaseFilter
 * StopFilter                (queries only) drops words like "the" unless nothing else is left
 * KStemFilter               plurals and verb forms to a dictionary word: files -> file, parsing -> parse
 * RemoveDuplicatesTokenFilter  one term per position (a camelCase whole is both original and catenation)
 * LengthFilter              drops terms longer than the cap, so every term fits in a database key
 * </pre>
 */
public final class AnalysisChain extends Analyzer {

    /** Letters, marks, digits and underscore, except the scripts written without spaces between words. */
    private static final String WORD = "[a-zA-Z0-9_[\\p{L}\\p{M}\\p{N}&&[^\\p{IsHan}\\p{IsHiragana}]]]++";
    /**
     * A token: one Han or Hiragana char (those scripts do not separate words, so each char is a
     * term, as Lucene's StandardTokenizer does), or words joined by the punctuation of code and
     * paths ({@code std::vector}, {@code src/main/Foo.java}, {@code 1.2.3}, {@code don't}), never
     * starting or ending with it, so sentence punctuation stays out. The joins are bounded because
     * Java's regex engine recurses once per repetition of a group.
     */
    private static final Pattern TOKEN = Pattern.compile(
            WORD + "(?:[./\\\\:#@'\u2019-]++" + WORD + "){0,63}+|(?=[^\\x00-\\x7F])[\\p{IsHan}\\p{IsHiragana}]");

    private static final Pattern ACRONYM_END = Pattern.compile("(?<=\\p{Lu})(?=\\p{Lu}\\p{Ll})");

    private static final int SPLIT = WordDelimiterGraphFilter.GENERATE_WORD_PARTS
            | WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS
            | WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE
            | WordDelimiterGraphFilter.SPLIT_ON_NUMERICS
            | WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE
            | WordDelimiterGraphFilter.CATENATE_WORDS
            | WordDelimiterGraphFilter.PRESERVE_ORIGINAL;

    private final CharArraySet stopWords;
    private final int maxTermLength;

    /**
     * @param stopWords lower-case words to drop, or {@code null} to keep every word
     * @param maxTermLength the longest term kept, in chars
     */
    public AnalysisChain(Set<String> stopWords, int maxTermLength) {
        this.stopWords = stopWords == null ? null : CharArraySet.unmodifiableSet(new CharArraySet(stopWords, false));
        this.maxTermLength = maxTermLength;
    }

    /**
     * Lucene's English stop words ({@code EnglishAnalyzer.ENGLISH_STOP_WORDS_SET}, checked equal by a
     * test). Spelled out because reading them from EnglishAnalyzer would load StandardTokenizer and
     * its tables into the bundle for nothing.
     */
    public static Set<String> englishStopWords() {
        return Set.of("a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
                "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they",
                "this", "to", "was", "will", "with");
    }

    /**
     * WordDelimiterGraphFilter splits {@code parseJson} but not an acronym from the next word
     * ({@code HTTPServer}, {@code XMLHttpRequest}): an underscore put between them makes it do so.
     */
    @Override
    protected Reader initReader(String fieldName, Reader reader) {
        return new PatternReplaceCharFilter(ACRONYM_END, "_", reader);
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = new PatternTokenizer(TOKEN, 0);
        TokenStream stream = new WordDelimiterGraphFilter(source, true, WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE,
                SPLIT, null);
        stream = new FlattenGraphFilter(stream);
        stream = new LowerCaseFilter(stream);
        if (stopWords != null) {
            stream = new StopFilter(stream, stopWords);
        }
        stream = new KStemFilter(stream);
        stream = new RemoveDuplicatesTokenFilter(stream);
        stream = new LengthFilter(stream, 1, maxTermLength);
        return new TokenStreamComponents(source, stream);
    }

    /** The tokens of {@code text}, in order. */
    public List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        try (TokenStream stream = tokenStream("", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            PositionIncrementAttribute increment = stream.addAttribute(PositionIncrementAttribute.class);
            OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
            stream.reset();
            int position = -1;
            while (stream.incrementToken()) {
                position += increment.getPositionIncrement();
                tokens.add(new Token(term.toString(), position, offset.startOffset(), offset.endOffset()));
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a string: " + e.getMessage(), e);
        }
        return tokens;
    }
}
