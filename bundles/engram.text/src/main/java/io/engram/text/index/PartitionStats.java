package io.engram.text.index;

/** Documents in a partition and the summed length of each field, for BM25's average lengths. */
record PartitionStats(long documents, long[] lengths) {

    static PartitionStats decode(byte[] stored, int fields) {
        long[] lengths = new long[fields];
        if (stored == null) {
            return new PartitionStats(0, lengths);
        }
        Bytes.Reader in = new Bytes.Reader(stored);
        long documents = in.varlong();
        for (int i = 0; i < fields && in.more(); i++) {
            lengths[i] = in.varlong();
        }
        return new PartitionStats(documents, lengths);
    }

    PartitionStats plus(long moreDocuments, int[] moreLengths) {
        long[] summed = lengths.clone();
        for (int i = 0; i < summed.length && i < moreLengths.length; i++) {
            summed[i] = Math.max(0, summed[i] + moreLengths[i]);
        }
        return new PartitionStats(documents + moreDocuments, summed);
    }

    byte[] encode() {
        Bytes out = new Bytes(8 + 10 * lengths.length).varint(documents);
        for (long length : lengths) {
            out.varint(length);
        }
        return out.toArray();
    }
}
