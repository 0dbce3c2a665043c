package io.engram.text.index;

import java.util.Arrays;

/**
 * One block of a term's postings: up to a few hundred (document number, payload) entries in
 * increasing document order, stored under {@code prefix + upperBound} where the 8-byte big-endian
 * upper bound is at least the block's last document and below the next block's first. The open
 * block at the end of a list has upper bound {@link #TAIL} so that appending finds it in one seek.
 *
 * <p>Value: varint count, then per entry a varint document (the first absolute, then the gap to the
 * previous one) and its payload: a flags byte (bits 0-5: the fields the term occurs in, bit 6: the
 * document expires), then per field present a varint term frequency and a length byte
 * ({@link Norms}).
 */
final class PostingBlock {

    /** Upper bound of the open block at the end of every posting list. */
    static final long TAIL = -1L; // 0xFFFFFFFFFFFFFFFF, the largest unsigned key

    /** Entries an open block takes before it is closed. */
    static final int CLOSE_AT = 128;
    /** Entries a closed block may reach (by inserts into the middle) before it is split. */
    static final int SPLIT_AT = 2 * CLOSE_AT;

    /** (tf, length byte) pairs a block key's summary keeps for the first field. */
    static final int FRONTIER = 3;
    /** Bytes of the summary after a block key's upper bound ({@link Postings#blockKey}). */
    static final int SUMMARY = 2 * FRONTIER + 2 * (TextIndex.MAX_FIELDS - 1);

    static final int FIELD_MASK = 0x3F;
    static final int EXPIRES = 0x40;

    byte[] value;
    int count;
    long[] docs = new long[CLOSE_AT];
    /** Offset in {@link #value} of each entry's flags byte. */
    int[] payloads = new int[CLOSE_AT];

    /** Decodes {@code encoded} into this block (reusing the arrays). */
    PostingBlock decode(byte[] encoded) {
        value = encoded;
        Bytes.Reader in = new Bytes.Reader(encoded);
        count = in.varint();
        if (docs.length < count) {
            docs = new long[count];
            payloads = new int[count];
        }
        long doc = 0;
        for (int i = 0; i < count; i++) {
            doc = i == 0 ? in.varlong() : doc + in.varlong();
            docs[i] = doc;
            payloads[i] = in.at;
            in.at = skipPayload(encoded, in.at);
        }
        return this;
    }

    /** Offset just after the payload starting at {@code at}. */
    static int skipPayload(byte[] bytes, int at) {
        int flags = bytes[at++] & 0xFF;
        for (int fields = Integer.bitCount(flags & FIELD_MASK); fields > 0; fields--) {
            while (bytes[at++] < 0) {
                // varint continuation bytes
            }
            at++; // length byte
        }
        return at;
    }

    /** Index of the first entry with document {@code >= doc}, or {@link #count}. */
    int seek(long doc, int from) {
        int low = from;
        int high = count - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (Long.compareUnsigned(docs[mid], doc) < 0) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    /** This block without the entry at {@code index}. */
    byte[] without(int index) {
        Bytes out = new Bytes(value.length);
        out.varint(count - 1);
        boolean first = true;
        long previous = 0;
        for (int i = 0; i < count; i++) {
            if (i == index) {
                continue;
            }
            out.varint(first ? docs[i] : docs[i] - previous);
            int offset = payloads[i];
            out.put(value, offset, skipPayload(value, offset) - offset);
            previous = docs[i];
            first = false;
        }
        return out.toArray();
    }

    @Override
    public String toString() {
        return "PostingBlock" + Arrays.toString(Arrays.copyOf(docs, count));
    }
}
