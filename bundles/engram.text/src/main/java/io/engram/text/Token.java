package io.engram.text;

/**
 * One term of an analyzed text.
 *
 * @param term the search term: lower-cased and stemmed, never empty, at most
 *     {@link TextAnalyzer#MAX_TERM_LENGTH} chars
 * @param position its word position, from 0; the parts of an identifier follow each other, and the
 *     identifier kept whole shares the position of its first part
 * @param startOffset index in the text of its first char
 * @param endOffset index in the text after its last char
 */
public record Token(String term, int position, int startOffset, int endOffset) {
}
