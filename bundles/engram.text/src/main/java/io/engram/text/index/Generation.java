package io.engram.text.index;

import io.engram.api.store.ReadTxn;
import io.engram.api.store.WriteTxn;
import java.util.List;
import java.util.Map;

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

    Generation(TextIndex index, int number) {
        this.index = index;
        this.number = number;
        this.post = index.keyspace(number, "post");
        this.terms = index.keyspace(number, "terms");
        this.docs = index.keyspace(number, "docs");
        this.ids = index.keyspace(number, "ids");
        this.recent = index.keyspace(number, "recent");
        this.stats = index.keyspace(number, "stats");
    }

    List<String> keyspaces() {
        return List.of(post, terms, docs, ids, recent, stats);
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
        for (Map.Entry<String, PreparedDocument.Occurrences> term : document.terms.entrySet()) {
            addPosting(txn, document.partition, term.getKey(), doc, document.payload(term.getValue()));
        }
        byte[] keywordPayload = document.keywordPayload();
        for (String keyword : document.keywords) {
            addPosting(txn, document.partition, TextIndex.keywordTerm(keyword), doc, keywordPayload);
        }
        txn.put(docs, docKey(doc), DocRecord.encode(document));
        txn.put(recent, recentKey(document.partition, document.time, document.id), docKey(doc));
        changeStats(txn, document.partition, 1, document.lengths);
    }

    boolean remove(WriteTxn txn, String id) {
        byte[] idKey = Bytes.utf8(id);
        byte[] existing = txn.get(ids, idKey);
        if (existing == null) {
            return false;
        }
        removeEntries(txn, Bytes.readLongBE(existing, 0));
        txn.delete(ids, idKey);
        return true;
    }

    /** Removes what document {@code doc} put in postings, terms, recent, stats and docs. */
    private void removeEntries(WriteTxn txn, long doc) {
        byte[] key = docKey(doc);
        byte[] stored = txn.get(docs, key);
        if (stored == null) {
            return;
        }
        DocRecord record = DocRecord.decode(stored);
        for (String term : record.postingTerms()) {
            byte[] termKey = termKey(record.partition, term);
            if (Postings.remove(txn, post, postingPrefix(termKey), doc)) {
                changeFrequency(txn, termKey, -1);
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

    private void addPosting(WriteTxn txn, String partition, String term, long doc, byte[] payload) {
        byte[] termKey = termKey(partition, term);
        Postings.put(txn, post, postingPrefix(termKey), doc, payload);
        changeFrequency(txn, termKey, 1);
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

    static byte[] recentPrefix(String partition) {
        byte[] p = Bytes.utf8(partition);
        return new Bytes(p.length + 1).put(p).put(0).toArray();
    }
}
