package io.engram.text.index;

import io.engram.api.store.ReadTxn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import io.engram.api.store.WriteTxn;

/** Adds and removes one document's entry in one posting list (see {@link PostingBlock} for the layout). */
final class Postings {

    private Postings() {
    }

    /** One document's entry: its number and payload. */
    record Entry(long doc, byte[] payload) {
    }

    /**
     * Stores {@code entries} (in increasing document order, one per document) in the list under
     * {@code prefix}, replacing the entries those documents had. Each block the entries fall into is read
     * and written once, however many of them it takes.
     */
    static void putAll(WriteTxn txn, String keyspace, byte[] prefix, List<Entry> entries) {
        int next = 0;
        while (next < entries.size()) {
            byte[][] found = blockFor(txn, keyspace, prefix, entries.get(next).doc());
            long upper = found == null ? PostingBlock.TAIL : Bytes.readLongBE(found[0], prefix.length);
            List<Entry> merged = new ArrayList<>();
            if (found != null) {
                PostingBlock block = new PostingBlock().decode(found[1]);
                for (int i = 0; i < block.count; i++) {
                    int at = block.payloads[i];
                    merged.add(new Entry(block.docs[i],
                            Arrays.copyOfRange(block.value, at, PostingBlock.skipPayload(block.value, at))));
                }
            }
            int end = next;
            while (end < entries.size() && Long.compareUnsigned(entries.get(end).doc(), upper) <= 0) {
                end++;
            }
            merged = union(merged, entries.subList(next, end));
            next = end;
            if (found != null) {
                txn.delete(keyspace, found[0]);
            }
            write(txn, keyspace, prefix, upper, merged);
        }
    }

    /** The entries of both sorted lists in document order; where both have a document, {@code added}'s. */
    private static List<Entry> union(List<Entry> stored, List<Entry> added) {
        List<Entry> union = new ArrayList<>(stored.size() + added.size());
        int s = 0;
        int a = 0;
        while (s < stored.size() || a < added.size()) {
            if (a >= added.size()) {
                union.add(stored.get(s++));
            } else if (s >= stored.size()) {
                union.add(added.get(a++));
            } else {
                long storedDoc = stored.get(s).doc();
                long addedDoc = added.get(a).doc();
                if (storedDoc < addedDoc) {
                    union.add(stored.get(s++));
                } else {
                    if (storedDoc == addedDoc) {
                        s++;
                    }
                    union.add(added.get(a++));
                }
            }
        }
        return union;
    }

    /**
     * Writes {@code entries}, which replace the block with bound {@code upper}: the open block (bound
     * {@link PostingBlock#TAIL}) keeps fewer than {@link PostingBlock#CLOSE_AT} and closes full ones under
     * their last document; a closed block past {@link PostingBlock#SPLIT_AT} splits into blocks of
     * {@code CLOSE_AT}, the last keeping its bound.
     */
    private static void write(WriteTxn txn, String keyspace, byte[] prefix, long upper, List<Entry> entries) {
        boolean tail = upper == PostingBlock.TAIL;
        if (!tail && entries.size() <= PostingBlock.SPLIT_AT) {
            txn.put(keyspace, blockKey(prefix, upper, entries, 0, entries.size()), encode(entries, 0, entries.size()));
            return;
        }
        int from = 0;
        while (entries.size() - from >= PostingBlock.CLOSE_AT) {
            int to = from + PostingBlock.CLOSE_AT;
            boolean last = to == entries.size();
            long bound = last && !tail ? upper : entries.get(to - 1).doc();
            txn.put(keyspace, blockKey(prefix, bound, entries, from, to), encode(entries, from, to));
            from = to;
        }
        if (from < entries.size()) {
            // what is left: the open block, or the last part of a split closed block under its old bound
            txn.put(keyspace, blockKey(prefix, upper, entries, from, entries.size()),
                    encode(entries, from, entries.size()));
        }
    }

    private static byte[] encode(List<Entry> entries, int from, int to) {
        Bytes out = new Bytes(16 + 8 * (to - from));
        out.varint(to - from);
        long previous = 0;
        for (int i = from; i < to; i++) {
            Entry entry = entries.get(i);
            out.varint(i == from ? entry.doc() : entry.doc() - previous);
            out.put(entry.payload());
            previous = entry.doc();
        }
        return out.toArray();
    }

    /** Removes {@code doc}'s entry from the list under {@code prefix}; returns whether it had one. */
    static boolean remove(WriteTxn txn, String keyspace, byte[] prefix, long doc) {
        byte[][] found = blockFor(txn, keyspace, prefix, doc);
        if (found == null) {
            return false;
        }
        PostingBlock block = new PostingBlock().decode(found[1]);
        int at = block.seek(doc, 0);
        if (at >= block.count || block.docs[at] != doc) {
            return false;
        }
        if (block.count == 1) {
            txn.delete(keyspace, found[0]);
        } else {
            txn.put(keyspace, found[0], block.without(at));
        }
        return true;
    }

    /** Key and value of the block whose range holds {@code doc}, or null when the list ends before it. */
    private static byte[][] blockFor(ReadTxn txn, String keyspace, byte[] prefix, long doc) {
        byte[][] found = new byte[2][];
        txn.scan(keyspace, key(prefix, doc), (key, value) -> {
            if (isBlockKey(key, prefix)) {
                found[0] = key;
                found[1] = value;
            }
            return false;
        });
        return found[0] == null ? null : found;
    }

    /** Where a seek for the block holding documents from {@code upper} starts: block keys sort after it. */
    static byte[] key(byte[] prefix, long upper) {
        return new Bytes(prefix.length + 8).put(prefix).longBE(upper).toArray();
    }

    /**
     * A block's key: {@code prefix}, its upper bound, then its summary ({@link PostingBlock#SUMMARY} bytes),
     * from which a search bounds the block's best score and may skip reading it. For the first field (the
     * one most text is in), up to {@link PostingBlock#FRONTIER} (tf, length byte) pairs such that every
     * entry has at most the tf and at least the length of one of them: the best entries' own values when
     * there are that few, pairs merged into (largest tf, smallest length) when there are more. For each
     * other field, its largest tf and smallest length byte. Term frequencies are capped at 255. A summary
     * only ever overstates once entries are removed, which keeps it a valid bound.
     */
    static byte[] blockKey(byte[] prefix, long upper, List<Entry> entries, int from, int to) {
        int[] maxTf = new int[TextIndex.MAX_FIELDS];
        int[] minNorm = new int[TextIndex.MAX_FIELDS];
        Arrays.fill(minNorm, 255);
        List<int[]> first = new ArrayList<>(); // (tf, norm) of each entry with the first field
        for (int i = from; i < to; i++) {
            Bytes.Reader in = new Bytes.Reader(entries.get(i).payload());
            int flags = in.u8();
            for (int f = 0; f < TextIndex.MAX_FIELDS; f++) {
                if ((flags & (1 << f)) != 0) {
                    int tf = Math.min(255, in.varint());
                    int norm = in.u8();
                    maxTf[f] = Math.max(maxTf[f], tf);
                    minNorm[f] = Math.min(minNorm[f], norm);
                    if (f == 0) {
                        first.add(new int[] {tf, norm});
                    }
                }
            }
        }
        Bytes out = new Bytes(prefix.length + 8 + PostingBlock.SUMMARY).put(prefix).longBE(upper);
        for (int[] pair : frontier(first)) {
            out.put(pair[0]).put(pair[1]);
        }
        for (int f = 1; f < TextIndex.MAX_FIELDS; f++) {
            out.put(maxTf[f]).put(minNorm[f]);
        }
        return out.toArray();
    }

    /** The tf of the {@code pair}-th summary pair of {@code field} in the block key {@code key} of a list of {@code prefixLength}. */
    static int summaryTf(byte[] key, int prefixLength, int field, int pair) {
        return key[summaryAt(prefixLength, field, pair)] & 0xFF;
    }

    /** The length byte of that pair. */
    static int summaryNorm(byte[] key, int prefixLength, int field, int pair) {
        return key[summaryAt(prefixLength, field, pair) + 1] & 0xFF;
    }

    private static int summaryAt(int prefixLength, int field, int pair) {
        int start = prefixLength + 8;
        return field == 0 ? start + 2 * pair : start + 2 * PostingBlock.FRONTIER + 2 * (field - 1);
    }

    /**
     * Exactly {@link PostingBlock#FRONTIER} (tf, norm) pairs bounding {@code pairs}: the Pareto frontier
     * (higher tf, shorter length), merged down when longer; (0, 255) fills unused places.
     */
    static List<int[]> frontier(List<int[]> pairs) {
        List<int[]> sorted = new ArrayList<>(pairs);
        sorted.sort((a, b) -> a[0] != b[0] ? Integer.compare(b[0], a[0]) : Integer.compare(a[1], b[1]));
        List<int[]> frontier = new ArrayList<>();
        int shortest = Integer.MAX_VALUE;
        for (int[] pair : sorted) {
            if (pair[1] < shortest) { // longer than every pair with a higher tf would be dominated
                frontier.add(pair);
                shortest = pair[1];
            }
        }
        while (frontier.size() > PostingBlock.FRONTIER) {
            // merge the two neighbours whose merged pair overstates least: the closest tfs
            int best = 0;
            for (int i = 1; i + 1 < frontier.size(); i++) {
                if (frontier.get(i)[0] - frontier.get(i + 1)[0] < frontier.get(best)[0] - frontier.get(best + 1)[0]) {
                    best = i;
                }
            }
            int[] merged = {frontier.get(best)[0], frontier.get(best + 1)[1]};
            frontier.set(best, merged);
            frontier.remove(best + 1);
        }
        while (frontier.size() < PostingBlock.FRONTIER) {
            frontier.add(new int[] {0, 255});
        }
        return frontier;
    }

    static boolean isBlockKey(byte[] key, byte[] prefix) {
        return key.length == prefix.length + 8 + PostingBlock.SUMMARY && startsWith(key, prefix);
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
