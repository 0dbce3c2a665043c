package io.engram.kg;

import io.engram.api.store.ReadTxn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Entity names (UTF-8 bytes) in ascending byte order, walked forward: one word's postings, the
 * union of several, or the names common to several streams. {@link #seek} lets an intersection skip
 * what cannot match instead of reading it, as a search engine's postings do.
 */
interface NameStream {

    /** The current name, or null when the stream is exhausted. */
    byte[] current();

    /** Moves past the current name. */
    void next();

    /** Moves to the first name at or after {@code target}; stays when the current one already is. */
    void seek(byte[] target);

    /** A stream with no names. */
    static NameStream empty() {
        return new Union(List.of());
    }

    /** The names under one key prefix of a keyspace ({@code prefix} then the name), read a batch at a time. */
    final class Postings implements NameStream {

        private static final int BATCH = 64;

        private final ReadTxn txn;
        private final String keyspace;
        private final byte[] prefix;
        private final List<byte[]> batch = new ArrayList<>(BATCH);
        private int position;
        private boolean lastBatch;

        Postings(ReadTxn txn, String keyspace, byte[] prefix) {
            this.txn = txn;
            this.keyspace = keyspace;
            this.prefix = prefix;
            fill(new byte[0]);
        }

        @Override
        public byte[] current() {
            return position < batch.size() ? batch.get(position) : null;
        }

        @Override
        public void next() {
            if (position < batch.size()) {
                position++;
                if (position == batch.size() && !lastBatch) {
                    fill(GraphKeys.successor(batch.get(position - 1)));
                }
            }
        }

        @Override
        public void seek(byte[] target) {
            while (position < batch.size() && Arrays.compareUnsigned(batch.get(position), target) < 0) {
                position++;
            }
            if (position == batch.size() && !lastBatch) {
                fill(target);
            }
        }

        private void fill(byte[] from) {
            batch.clear();
            position = 0;
            byte[] start = Arrays.copyOf(prefix, prefix.length + from.length);
            System.arraycopy(from, 0, start, prefix.length, from.length);
            txn.scan(keyspace, start, (key, value) -> {
                if (!GraphKeys.startsWith(key, prefix)) {
                    return false;
                }
                batch.add(Arrays.copyOfRange(key, prefix.length, key.length));
                return batch.size() < BATCH;
            });
            lastBatch = batch.size() < BATCH;
        }
    }

    /** Every name of any of the streams, once each. Few streams (a query run's words), so a plain scan for the least. */
    final class Union implements NameStream {

        private final List<NameStream> streams;

        Union(List<NameStream> streams) {
            this.streams = List.copyOf(streams);
        }

        @Override
        public byte[] current() {
            byte[] least = null;
            for (NameStream stream : streams) {
                byte[] name = stream.current();
                if (name != null && (least == null || Arrays.compareUnsigned(name, least) < 0)) {
                    least = name;
                }
            }
            return least;
        }

        @Override
        public void next() {
            byte[] current = current();
            if (current != null) {
                for (NameStream stream : streams) {
                    if (Arrays.equals(stream.current(), current)) {
                        stream.next();
                    }
                }
            }
        }

        @Override
        public void seek(byte[] target) {
            streams.forEach(stream -> stream.seek(target));
        }
    }

    /** The names every stream has: each stream leaps to the greatest current name until all agree. */
    final class Intersection implements NameStream {

        private final List<NameStream> streams;
        private byte[] current;

        Intersection(List<NameStream> streams) {
            if (streams.isEmpty()) {
                throw new IllegalArgumentException("an intersection needs at least one stream");
            }
            this.streams = List.copyOf(streams);
            align();
        }

        @Override
        public byte[] current() {
            return current;
        }

        @Override
        public void next() {
            if (current != null) {
                streams.get(0).next();
                align();
            }
        }

        @Override
        public void seek(byte[] target) {
            if (current != null) {
                streams.get(0).seek(target);
                align();
            }
        }

        private void align() {
            while (true) {
                byte[] greatest = null;
                for (NameStream stream : streams) {
                    byte[] name = stream.current();
                    if (name == null) {
                        current = null; // one is exhausted, so is the intersection
                        return;
                    }
                    if (greatest == null || Arrays.compareUnsigned(name, greatest) > 0) {
                        greatest = name;
                    }
                }
                boolean agreed = true;
                for (NameStream stream : streams) {
                    stream.seek(greatest);
                    agreed &= Arrays.equals(stream.current(), greatest);
                }
                if (agreed) {
                    current = greatest;
                    return;
                }
            }
        }
    }
}
