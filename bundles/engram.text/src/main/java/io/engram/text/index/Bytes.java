package io.engram.text.index;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Growing byte buffer and reader for the index's records: unsigned LEB128 varints, big-endian
 * longs (so keys sort by number), and length-prefixed UTF-8 strings.
 */
final class Bytes {

    private byte[] buffer;
    private int size;

    Bytes(int capacity) {
        buffer = new byte[Math.max(16, capacity)];
    }

    Bytes() {
        this(64);
    }

    int size() {
        return size;
    }

    byte[] toArray() {
        return Arrays.copyOf(buffer, size);
    }

    Bytes reset() {
        size = 0;
        return this;
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }

    Bytes put(int b) {
        ensure(1);
        buffer[size++] = (byte) b;
        return this;
    }

    Bytes put(byte[] bytes) {
        return put(bytes, 0, bytes.length);
    }

    Bytes put(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
        return this;
    }

    Bytes varint(long value) {
        ensure(10);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[size++] = (byte) v;
        return this;
    }

    Bytes longBE(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    Bytes string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        varint(utf8.length);
        return put(utf8);
    }

    static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static long readLongBE(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    /** Reads what {@link Bytes} wrote. */
    static final class Reader {
        final byte[] bytes;
        int at;

        Reader(byte[] bytes) {
            this(bytes, 0);
        }

        Reader(byte[] bytes, int at) {
            this.bytes = bytes;
            this.at = at;
        }

        boolean more() {
            return at < bytes.length;
        }

        int u8() {
            return bytes[at++] & 0xFF;
        }

        long varlong() {
            long value = 0;
            int shift = 0;
            while (true) {
                byte b = bytes[at++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
                shift += 7;
            }
        }

        int varint() {
            int value = 0;
            int shift = 0;
            while (true) {
                byte b = bytes[at++];
                value |= (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
                shift += 7;
            }
        }

        long longBE() {
            long value = readLongBE(bytes, at);
            at += 8;
            return value;
        }

        String string() {
            int length = varint();
            String value = new String(bytes, at, length, StandardCharsets.UTF_8);
            at += length;
            return value;
        }

        void skipString() {
            int length = varint();
            at += length;
        }
    }
}
