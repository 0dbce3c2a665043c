package io.engram.text.index;

import io.engram.api.store.ReadTxn;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks one posting list in document order inside a read transaction: {@link #next()} and
 * {@link #advance(long)} (skip to the first document at or after a target, reading only the blocks
 * whose range can hold it). Blocks are read a few at a time, more as a walk goes on.
 */
final class PostingCursor {

    /** {@link #doc()} once the list is exhausted. */
    static final long END = Long.MAX_VALUE;

    private static final int MAX_BATCH = 64;

    private final ReadTxn txn;
    private final String keyspace;
    private final byte[] prefix;
    private final List<byte[]> batchKeys = new ArrayList<>();
    private final List<byte[]> batchValues = new ArrayList<>();
    private int batchAt;
    private int batchSize = 2;
    private boolean listEnded;
    private final PostingBlock block = new PostingBlock();
    private long blockUpper;
    private byte[] blockKey;
    /** The current block's value, decoded into {@link #block} only once an entry past its first is needed. */
    private byte[] blockValue;
    private boolean decoded;
    private int at;
    private long doc = -1;

    PostingCursor(ReadTxn txn, String keyspace, byte[] prefix) {
        this.txn = txn;
        this.keyspace = keyspace;
        this.prefix = prefix;
        fetch(prefix);
        if (!nextBlock()) {
            doc = END;
        } else {
            at = 0;
            doc = firstDoc();
        }
    }

    long doc() {
        return doc;
    }

    /** Flags byte of the current entry's payload (fields it occurs in, whether the document expires). */
    int flags() {
        decoded();
        return block.value[block.payloads[at]] & 0xFF;
    }

    /** The current entry's payload: {@code payloadBytes()} from {@code payloadAt()}. */
    byte[] payloadBytes() {
        decoded();
        return block.value;
    }

    int payloadAt() {
        decoded();
        return block.payloads[at];
    }

    private void decoded() {
        if (!decoded) {
            block.decode(blockValue);
            decoded = true;
        }
    }

    /** The current block's key: its upper bound and summary ({@link Postings#blockKey}) follow the prefix. */
    byte[] blockKey() {
        return blockKey;
    }

    /** The list's prefix: every block key of the list starts with it. */
    byte[] prefix() {
        return prefix;
    }

    /** Moves past the current block to the first entry of the next; returns its document or {@link #END}. */
    long skipBlock() {
        if (doc == END) {
            return END;
        }
        if (!nextBlock()) {
            return doc = END;
        }
        at = 0;
        return doc = firstDoc();
    }

    /** Moves to the next entry; returns its document or {@link #END}. */
    long next() {
        if (doc == END) {
            return END;
        }
        decoded();
        if (++at < block.count) {
            return doc = block.docs[at];
        }
        if (!nextBlock()) {
            return doc = END;
        }
        at = 0;
        return doc = firstDoc();
    }

    /** Moves to the first entry with document {@code >= target}; returns it or {@link #END}. */
    long advance(long target) {
        if (doc >= target) {
            return doc;
        }
        if (Long.compareUnsigned(target, blockUpper) > 0) {
            // skip whole blocks of the batch read already, then seek
            while (true) {
                if (batchAt < batchKeys.size()) {
                    long upper = Bytes.readLongBE(batchKeys.get(batchAt), prefix.length);
                    if (Long.compareUnsigned(target, upper) > 0) {
                        batchAt++;
                        continue;
                    }
                    nextBlock();
                    break;
                }
                if (listEnded) {
                    return doc = END;
                }
                fetch(Postings.key(prefix, target));
                if (!nextBlock()) {
                    return doc = END;
                }
                break;
            }
            at = 0;
            long first = firstDoc();
            if (first >= target) {
                return doc = first; // the block need not be decoded yet
            }
        }
        decoded();
        at = block.seek(target, at);
        if (at >= block.count) {
            // target lies after this block's last entry but within its range: the next block starts later
            if (!nextBlock()) {
                return doc = END;
            }
            at = 0;
            return doc = firstDoc();
        }
        return doc = block.docs[at];
    }

    /** The current block's first document, read without decoding the block. */
    private long firstDoc() {
        Bytes.Reader in = new Bytes.Reader(blockValue);
        in.varint(); // count
        return in.varlong();
    }

    private boolean nextBlock() {
        if (batchAt >= batchKeys.size()) {
            if (listEnded || batchKeys.isEmpty()) {
                return false;
            }
            byte[] lastKey = batchKeys.get(batchKeys.size() - 1);
            long lastUpper = Bytes.readLongBE(lastKey, prefix.length);
            if (lastUpper == PostingBlock.TAIL) {
                listEnded = true;
                return false;
            }
            fetch(Postings.key(prefix, lastUpper + 1));
            if (batchKeys.isEmpty()) {
                return false;
            }
        }
        blockKey = batchKeys.get(batchAt);
        blockUpper = Bytes.readLongBE(blockKey, prefix.length);
        blockValue = batchValues.get(batchAt);
        decoded = false;
        batchAt++;
        return true;
    }

    private void fetch(byte[] from) {
        batchKeys.clear();
        batchValues.clear();
        batchAt = 0;
        int wanted = batchSize;
        batchSize = Math.min(MAX_BATCH, batchSize * 4);
        txn.scan(keyspace, from, (key, value) -> {
            if (!Postings.isBlockKey(key, prefix)) {
                listEnded = true;
                return false;
            }
            batchKeys.add(key);
            batchValues.add(value);
            return batchKeys.size() < wanted;
        });
        if (batchKeys.isEmpty()) {
            listEnded = true;
        }
    }
}
