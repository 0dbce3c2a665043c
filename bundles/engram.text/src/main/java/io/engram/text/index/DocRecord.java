package io.engram.text.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the index keeps per document, under its document number: the head (id, partition, time,
 * expiry) read for every hit, then its field lengths, keywords and terms with positions, read when it
 * is replaced or removed and when a phrase must be checked.
 */
final class DocRecord {

    final String id;
    final String partition;
    final long time;
    final long expiresAt;
    private final byte[] encoded;
    private final int bodyAt;

    private DocRecord(String id, String partition, long time, long expiresAt, byte[] encoded, int bodyAt) {
        this.id = id;
        this.partition = partition;
        this.time = time;
        this.expiresAt = expiresAt;
        this.encoded = encoded;
        this.bodyAt = bodyAt;
    }

    static byte[] encode(PreparedDocument document) {
        Bytes out = new Bytes(256);
        out.string(document.id).string(document.partition).varint(document.time).varint(document.expiresAt);
        out.varint(document.lengths.length);
        for (int length : document.lengths) {
            out.varint(length);
        }
        out.varint(document.keywords.size());
        for (String keyword : document.keywords) {
            out.string(keyword);
        }
        out.varint(document.terms.size());
        for (Map.Entry<String, PreparedDocument.Occurrences> term : document.terms.entrySet()) {
            PreparedDocument.Occurrences occurrences = term.getValue();
            out.string(term.getKey()).put(occurrences.mask);
            for (int field = 0; field < document.lengths.length; field++) {
                int[] positions = occurrences.positions[field];
                if (positions != null) {
                    out.varint(positions.length);
                    int previous = 0;
                    for (int position : positions) {
                        out.varint(position - previous);
                        previous = position;
                    }
                }
            }
        }
        return out.toArray();
    }

    static DocRecord decode(byte[] encoded) {
        Bytes.Reader in = new Bytes.Reader(encoded);
        String id = in.string();
        String partition = in.string();
        long time = in.varlong();
        long expiresAt = in.varlong();
        return new DocRecord(id, partition, time, expiresAt, encoded, in.at);
    }

    boolean isExpiredAt(long now) {
        return expiresAt != 0 && expiresAt <= now;
    }

    int[] lengths() {
        Bytes.Reader in = new Bytes.Reader(encoded, bodyAt);
        int[] lengths = new int[in.varint()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = in.varint();
        }
        return lengths;
    }

    /** Its keywords, then its terms: everything it has postings for. */
    void visitTerms(TermVisitor visitor) {
        Bytes.Reader in = new Bytes.Reader(encoded, bodyAt);
        int fields = in.varint();
        for (int i = 0; i < fields; i++) {
            in.varint();
        }
        for (int keywords = in.varint(); keywords > 0; keywords--) {
            visitor.visit(in.string(), true, null);
        }
        for (int terms = in.varint(); terms > 0; terms--) {
            String term = in.string();
            int mask = in.u8();
            int[][] positions = new int[fields][];
            for (int field = 0; field < fields; field++) {
                if ((mask & (1 << field)) != 0) {
                    int[] at = new int[in.varint()];
                    int previous = 0;
                    for (int i = 0; i < at.length; i++) {
                        previous += in.varint();
                        at[i] = previous;
                    }
                    positions[field] = at;
                }
            }
            visitor.visit(term, false, positions);
        }
    }

    /** Its keywords, as given. */
    List<String> keywords() {
        List<String> keywords = new ArrayList<>();
        visitTerms((term, keyword, positions) -> {
            if (keyword) {
                keywords.add(term);
            }
        });
        return keywords;
    }

    /** The keywords and terms it has postings for. */
    List<String> postingTerms() {
        List<String> terms = new ArrayList<>();
        visitTerms((term, keyword, positions) -> terms.add(keyword ? TextIndex.keywordTerm(term) : term));
        return terms;
    }

    /** Its postings: each posting-list name (term or keyword) with the payload it has there. */
    void visitPostings(PostingVisitor visitor) {
        int[] lengths = lengths();
        int expires = expiresAt != 0 ? PostingBlock.EXPIRES : 0;
        byte[] keywordPayload = {(byte) expires};
        visitTerms((term, keyword, positions) -> {
            if (keyword) {
                visitor.visit(TextIndex.keywordTerm(term), keywordPayload);
                return;
            }
            visitor.visit(term, payload(positions, lengths, expires));
        });
    }

    /** The payload of a term with these positions per field (see {@link PostingBlock}). */
    static byte[] payload(int[][] positions, int[] lengths, int expires) {
        int mask = 0;
        for (int field = 0; field < positions.length; field++) {
            if (positions[field] != null) {
                mask |= 1 << field;
            }
        }
        Bytes out = new Bytes(16).put(mask | expires);
        for (int field = 0; field < positions.length; field++) {
            if (positions[field] != null) {
                out.varint(positions[field].length);
                out.put(Norms.encode(lengths[field]));
            }
        }
        return out.toArray();
    }

    interface PostingVisitor {
        void visit(String postingTerm, byte[] payload);
    }

    interface TermVisitor {
        /** @param positions per field, null where the term is absent; null for a keyword */
        void visit(String term, boolean keyword, int[][] positions);
    }
}
