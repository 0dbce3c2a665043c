package io.engram.semantic;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The keyspaces of the semantic index and how their keys and values are laid out.
 *
 * <ul>
 * <li>{@link #QUEUE}: memory id → {@code [namespace length: u16][namespace][text]}, UTF-8: what is still to be
 * embedded. Written in the memory's own transaction, so it commits with the memory.
 * <li>{@link #VECTORS}: {@code namespace key + memory id} → the stored vector ({@link Vectors}); one namespace's
 * vectors are one key range.
 * <li>{@link #IDS}: memory id → {@code [namespace length: u16][namespace][digest of model id and text: 16 bytes]}
 * for each stored vector: finds the vector by id alone, and tells whether a text handed in again is the one
 * already embedded (a backfill then costs no embedding).
 * <li>{@link #META}: {@code backfilled} → the model (and vector format) every stored memory was handed in for.
 * </ul>
 */
final class SemanticKeys {

    static final String QUEUE = "semantic.queue";
    static final String VECTORS = "semantic.vectors";
    static final String IDS = "semantic.ids";
    static final String META = "semantic.meta";

    static final byte[] BACKFILLED = utf8("backfilled");

    /** Namespaces longer than this (in UTF-8 bytes) are keyed by a digest, keeping keys within 511 bytes. */
    private static final int LITERAL_NAMESPACE_MAX = 300;
    private static final byte LITERAL = 'n';
    private static final byte DIGEST = 'd';
    private static final int TEXT_DIGEST_BYTES = 16;

    private SemanticKeys() {
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A queue entry's value: the namespace, then the text. */
    static byte[] queueValue(String namespace, String text) {
        byte[] ns = utf8(namespace);
        if (ns.length > 0xffff) {
            throw new IllegalArgumentException("namespace longer than 65535 bytes");
        }
        byte[] body = utf8(text);
        return ByteBuffer.allocate(2 + ns.length + body.length).putShort((short) ns.length).put(ns).put(body).array();
    }

    static String queuedNamespace(byte[] value) {
        int length = ((value[0] & 0xff) << 8) | (value[1] & 0xff);
        return new String(value, 2, length, StandardCharsets.UTF_8);
    }

    static String queuedText(byte[] value) {
        int length = ((value[0] & 0xff) << 8) | (value[1] & 0xff);
        return new String(value, 2 + length, value.length - 2 - length, StandardCharsets.UTF_8);
    }

    /** The {@link #IDS} value of a vector of {@code text} in {@code namespace}. */
    static byte[] embeddedValue(String namespace, String text) {
        byte[] ns = utf8(namespace);
        byte[] digest = Arrays.copyOf(sha256(utf8(MiniLmEmbedder.MODEL_ID + '\0' + text)), TEXT_DIGEST_BYTES);
        return ByteBuffer.allocate(2 + ns.length + digest.length).putShort((short) ns.length).put(ns).put(digest)
                .array();
    }

    /** The namespace of an {@link #IDS} value (the same layout as a queue entry's start). */
    static String embeddedNamespace(byte[] value) {
        return queuedNamespace(value);
    }

    /**
     * The first bytes of every vector key in {@code namespace}: a tag, the length, then the namespace (or its
     * SHA-256 when long). The length makes the prefix of one namespace never a prefix of another's keys.
     */
    static byte[] namespacePrefix(String namespace) {
        byte[] ns = utf8(namespace);
        byte tag = LITERAL;
        if (ns.length > LITERAL_NAMESPACE_MAX) {
            tag = DIGEST;
            ns = sha256(ns);
        }
        return ByteBuffer.allocate(3 + ns.length).put(tag).putShort((short) ns.length).put(ns).array();
    }

    static byte[] vectorKey(String namespace, String id) {
        byte[] prefix = namespacePrefix(namespace);
        byte[] key = Arrays.copyOf(prefix, prefix.length + utf8(id).length);
        byte[] idBytes = utf8(id);
        System.arraycopy(idBytes, 0, key, prefix.length, idBytes.length);
        return key;
    }

    /** The memory id of a vector key. */
    static String vectorId(byte[] key) {
        return vectorId(key, 0);
    }

    /** The memory id of the vector key that starts at {@code offset} in {@code key}. */
    static String vectorId(byte[] key, int offset) {
        int length = ((key[offset + 1] & 0xff) << 8) | (key[offset + 2] & 0xff);
        int start = offset + 3 + length;
        return new String(key, start, key.length - start, StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
