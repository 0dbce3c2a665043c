package io.engram.storage;

import java.nio.ByteBuffer;
import org.lmdbjava.BufferProxy;
import org.lmdbjava.ByteBufferProxy;

/**
 * How the store's byte arrays meet LMDB. The environment hands out direct buffers that point into LMDB's
 * memory map (lmdbjava's {@link ByteBufferProxy#PROXY_OPTIMAL}) instead of copying every key and value into
 * a new array: a cursor step costs about 0.09 µs instead of 0.35 µs with the byte-array proxy
 * (StoreScanBenchmark), which lets {@link LmdbReadTxn#scanPrefixInPlace} read without copies. Keys going in
 * are copied into a direct buffer per thread; values going in are written straight into the space LMDB
 * reserves for them.
 */
final class LmdbBuffers {

    /**
     * The JVM options {@link #proxy} needs; {@code engram.jar}'s manifest gives them (Add-Opens, Add-Exports), and
     * the launcher adds sun.nio.ch to the framework's system packages.
     */
    static final String JVM_OPTIONS = "--add-opens java.base/java.nio=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED";

    private static final ThreadLocal<ByteBuffer> KEY = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(LmdbReadTxn.MAX_KEY_BYTES));

    private LmdbBuffers() {
    }

    /**
     * lmdbjava's buffer proxy. It sets a direct buffer's address by reflection and reads it through
     * sun.nio.ch.DirectBuffer, which Java 17 allows only when the JVM opens and exports those packages: without
     * that, say how to start it instead of failing in a class initializer.
     */
    static BufferProxy<ByteBuffer> proxy() {
        try {
            return ByteBufferProxy.PROXY_OPTIMAL;
        } catch (LinkageError | RuntimeException e) {
            throw new OptionsMissing(e);
        }
    }

    /** This JVM lacks {@link #JVM_OPTIONS}: the store cannot open in it (and nothing is wrong with its files). */
    static final class OptionsMissing extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        OptionsMissing(Throwable cause) {
            super("the JVM lacks the options LMDB's buffers need (" + JVM_OPTIONS + ")", cause);
        }
    }

    /**
     * {@code key} in this thread's key buffer. LMDB reads it during the call it is passed to and keeps no
     * reference, so the next key of the same thread may reuse the buffer.
     */
    static ByteBuffer key(byte[] key) {
        ByteBuffer buffer = KEY.get();
        buffer.clear();
        buffer.put(key).flip();
        return buffer;
    }

    /** A copy of {@code buffer}'s remaining bytes (it points into the map, valid only until the next call). */
    static byte[] copy(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(buffer.position(), bytes);
        return bytes;
    }

    /** Whether {@code buffer}'s remaining bytes begin with {@code prefix}. */
    static boolean startsWith(ByteBuffer buffer, byte[] prefix) {
        if (buffer.remaining() < prefix.length) {
            return false;
        }
        int start = buffer.position();
        for (int i = 0; i < prefix.length; i++) {
            if (buffer.get(start + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
