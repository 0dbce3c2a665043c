package io.engram.text.index;

import io.engram.api.store.ReadTxn;
import io.engram.api.store.WriteTxn;

/** Adds and removes one document's entry in one posting list (see {@link PostingBlock} for the layout). */
final class Postings {

    private Postings() {
    }

    /** Stores {@code payload} as {@code doc}'s entry in the list under {@code prefix}, replacing any it had. */
    static void put(WriteTxn txn, String keyspace, byte[] prefix, long doc, byte[] payload) {
        byte[][] found = blockFor(txn, keyspace, prefix, doc);
        if (found == null) {
            txn.put(keyspace, key(prefix, PostingBlock.TAIL), PostingBlock.with(null, doc, payload));
            return;
        }
        byte[] key = found[0];
        long upper = Bytes.readLongBE(key, prefix.length);
        byte[] updated = PostingBlock.with(new PostingBlock().decode(found[1]), doc, payload);
        PostingBlock block = new PostingBlock().decode(updated);
        if (upper == PostingBlock.TAIL && block.count >= PostingBlock.CLOSE_AT) {
            txn.put(keyspace, key(prefix, block.docs[block.count - 1]), updated);
            txn.delete(keyspace, key);
        } else if (upper != PostingBlock.TAIL && block.count > PostingBlock.SPLIT_AT) {
            int half = block.count / 2;
            txn.put(keyspace, key(prefix, block.docs[half - 1]), block.slice(0, half));
            txn.put(keyspace, key, block.slice(half, block.count));
        } else {
            txn.put(keyspace, key, updated);
        }
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
            if (startsWith(key, prefix) && key.length == prefix.length + 8) {
                found[0] = key;
                found[1] = value;
            }
            return false;
        });
        return found[0] == null ? null : found;
    }

    static byte[] key(byte[] prefix, long upper) {
        return new Bytes(prefix.length + 8).put(prefix).longBE(upper).toArray();
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
