package io.engram.text.index;

import io.engram.api.store.ReadTxn;
import io.engram.api.store.WriteTxn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One generation of a {@link TextIndex}: its keyspaces, and storing and removing documents in them. */
final class Generation {

    final TextIndex index;
    final int number;
    final String post;
    final String terms;
    final String docs;
    final String ids;
    final String recent;
    final String stats;
    final String pending;

    /**
     * Documents stored but not yet in the posting lists: their postings are written in one go when this
     * many have gathered, so a word common to many memories has its block rewritten once per batch rather
     * than once per memory. Searches score the pending documents from their records.
     */
    static final int MERGE_AT = 128;

    Generation(TextIndex index, int number) {
        this.index = index;
        this.number = number;
        this.post = index.keyspace(number, "post");
        this.terms = index.keyspace(number, "terms");
        this.docs = index.keyspace(number, "docs");
        this.ids = index.keyspace(number, "ids");
        this.recent = index.keyspace(number, "recent");
        this.stats = index.keyspace(number, "stats");
        this.pending = index.keyspace(number, "pending");
    }

    List<String> keyspaces() {
        return List.of(post, terms, docs, ids, recent, stats, pending);
    }

    void put(WriteTxn txn, PreparedDocument document) {
        byte[] idKey = Bytes.utf8(document.id);
        byte[] existing = txn.get(ids, idKey);
        long doc;
        if (existing != null) {
            doc = Bytes.readLongBE(existing, 0);
            removeEntries(txn, doc);
        } else {
            doc = nextDoc(txn);
            txn.put(ids, idKey, new Bytes(8).longBE(doc).toArray());
        }
        txn.put(docs, docKey(doc), DocRecord.encode(document));
        txn.put(recent, recentKey(document.partition, document.time, document.id), docKey(doc));
        txn.put(pending, pendingKey(document.partition, doc), new byte[0]);
        changeStats(txn, document.partition, 1, document.lengths);
        if (txn.count(pending) >= MERGE_AT) {
            mergePending(txn);
        }
    }

    /** Writes the postings of every pending document, a block read and written once per term. */
    void mergePending(WriteTxn txn) {
        List<byte[]> keys = new ArrayList<>();
        txn.scan(pending, null, (key, value) -> {
            keys.add(key);
            return true;
        });
        Map<byte[], List<Postings.Entry>> byTerm = new TreeMap<>(Arrays::compareUnsigned);
        for (byte[] key : keys) {
            long doc = Bytes.readLongBE(key, key.length - 8);
            DocRecord record = record(txn, doc);
            if (record == null) {
                continue;
            }
            record.visitPostings((term, payload) -> byTerm
                    .computeIfAbsent(termKey(record.partition, term), t -> new ArrayList<>())
                    .add(new Postings.Entry(doc, payload)));
        }
        for (Map.Entry<byte[], List<Postings.Entry>> term : byTerm.entrySet()) {
            List<Postings.Entry> entries = term.getValue();
            entries.sort(Comparator.comparingLong(Postings.Entry::doc));
            Postings.putAll(txn, post, postingPrefix(term.getKey()), entries);
            changeFrequency(txn, term.getKey(), entries.size());
        }
        for (byte[] key : keys) {
            txn.delete(pending, key);
        }
    }

    /** The documents of {@code partition} that are not in the posting lists yet. */
    List<Long> pendingDocs(ReadTxn txn, String partition) {
        List<Long> found = new ArrayList<>();
        byte[] prefix = recentPrefix(partition);
        txn.scanPrefix(pending, prefix, (key, value) -> {
            if (key.length == prefix.length + 8) {
                found.add(Bytes.readLongBE(key, prefix.length));
            }
            return true;
        });
        return found;
    }

    void remove(WriteTxn txn, String id) {
        byte[] idKey = Bytes.utf8(id);
        byte[] existing = txn.get(ids, idKey);
        if (existing != null) {
            removeEntries(txn, Bytes.readLongBE(existing, 0));
            txn.delete(ids, idKey);
        }
    }

    /** Removes what document {@code doc} put in postings, terms, recent, stats and docs. */
    private void removeEntries(WriteTxn txn, long doc) {
        byte[] key = docKey(doc);
        byte[] stored = txn.get(docs, key);
        if (stored == null) {
            return;
        }
        DocRecord record = DocRecord.decode(stored);
        if (!txn.delete(pending, pendingKey(record.partition, doc))) {
            for (String term : record.postingTerms()) {
                byte[] termKey = termKey(record.partition, term);
                if (Postings.remove(txn, post, postingPrefix(termKey), doc)) {
                    changeFrequency(txn, termKey, -1);
                }
            }
        }
        txn.delete(recent, recentKey(record.partition, record.time, record.id));
        int[] lengths = record.lengths();
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = -lengths[i];
        }
        changeStats(txn, record.partition, -1, lengths);
        txn.delete(docs, key);
    }

    private void changeFrequency(WriteTxn txn, byte[] termKey, int change) {
        byte[] stored = txn.get(terms, termKey);
        long frequency = (stored == null ? 0 : new Bytes.Reader(stored).varlong()) + change;
        if (frequency <= 0) {
            txn.delete(terms, termKey);
        } else {
            txn.put(terms, termKey, new Bytes(10).varint(frequency).toArray());
        }
    }

    private void changeStats(WriteTxn txn, String partition, int documents, int[] lengths) {
        byte[] key = Bytes.utf8(partition);
        PartitionStats current = PartitionStats.decode(txn.get(stats, key), index.fields().size());
        PartitionStats changed = current.plus(documents, lengths);
        if (changed.documents() <= 0) {
            txn.delete(stats, key);
        } else {
            txn.put(stats, key, changed.encode());
        }
    }

    private long nextDoc(WriteTxn txn) {
        byte[] key = Bytes.utf8("next/" + number);
        byte[] stored = txn.get(index.meta(), key);
        long doc = stored == null ? 1 : new Bytes.Reader(stored).varlong();
        txn.put(index.meta(), key, new Bytes(10).varint(doc + 1).toArray());
        return doc;
    }

    /** Every partition with documents in this generation, in key order. */
    List<String> partitions(ReadTxn txn) {
        List<String> all = new ArrayList<>();
        txn.scan(stats, null, (key, value) -> {
            all.add(new String(key, java.nio.charset.StandardCharsets.UTF_8));
            return true;
        });
        return all;
    }

    PartitionStats stats(ReadTxn txn, String partition) {
        return PartitionStats.decode(txn.get(stats, Bytes.utf8(partition)), index.fields().size());
    }

    long frequency(ReadTxn txn, String partition, String term) {
        byte[] stored = txn.get(terms, termKey(partition, term));
        return stored == null ? 0 : new Bytes.Reader(stored).varlong();
    }

    DocRecord record(ReadTxn txn, long doc) {
        byte[] stored = txn.get(docs, docKey(doc));
        return stored == null ? null : DocRecord.decode(stored);
    }

    /** {@code partition 0 term}: the key of a term's document frequency. */
    static byte[] termKey(String partition, String term) {
        byte[] p = Bytes.utf8(partition);
        byte[] t = Bytes.utf8(term);
        return new Bytes(p.length + t.length + 1).put(p).put(0).put(t).toArray();
    }

    /** {@code partition 0 term 0}: what every key of a term's posting list starts with. */
    static byte[] postingPrefix(byte[] termKey) {
        return new Bytes(termKey.length + 1).put(termKey).put(0).toArray();
    }

    static byte[] docKey(long doc) {
        return new Bytes(8).longBE(doc).toArray();
    }

    /** {@code partition 0 ~time ~id}: ascending keys list a partition newest first, then by id descending. */
    static byte[] recentKey(String partition, long time, String id) {
        byte[] p = Bytes.utf8(partition);
        byte[] i = Bytes.utf8(id);
        Bytes out = new Bytes(p.length + 10 + i.length).put(p).put(0).longBE(~time);
        for (byte b : i) {
            out.put(~b & 0xFF);
        }
        return out.toArray();
    }

    /** {@code partition 0 doc(8)}: a pending document, by partition. */
    static byte[] pendingKey(String partition, long doc) {
        byte[] p = Bytes.utf8(partition);
        return new Bytes(p.length + 9).put(p).put(0).longBE(doc).toArray();
    }

    static byte[] recentPrefix(String partition) {
        byte[] p = Bytes.utf8(partition);
        return new Bytes(p.length + 1).put(p).put(0).toArray();
    }
}
