package io.engram.kg;

import io.engram.kg.graph.NodeKey;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The keyspaces of the graph and the layout of their keys. Every key starts with the namespace
 * (shortened when long, see {@link #namespace}) and a 0 byte, so a namespace is one contiguous range in each keyspace; the parts after it are
 * separated by 0 bytes too, which no name may contain (names have no control characters), so
 * a prefix ending in 0 selects exactly one node, tag or source.
 */
final class GraphKeys {

    /** {@code ns 0 nodeKey} -> the node record (JSON). */
    static final String NODES = "kg.nodes";
    /** {@code ns 0 src 0 relation 0 dst} -> empty: edges by source. */
    static final String OUT = "kg.out";
    /** {@code ns 0 dst 0 relation 0 src} -> empty: edges by destination. */
    static final String IN = "kg.in";
    /** {@code ns 0 tag 0 entityName} -> empty: entities by tag. */
    static final String TAGS = "kg.tags";
    /** {@code ns 0 (Long.MAX_VALUE - mentions, 8 bytes big-endian) entityName} -> empty: entities, most mentioned first. */
    static final String MENTIONS = "kg.mentions";
    /** {@code ns 0 lowercase(nodeKey) 0 nodeKey} -> empty: nodes by type and name, ignoring case. */
    static final String LOWER = "kg.lower";
    /** {@code ns 0 word 0 entityName} -> empty: entities by the words of their name, type and observations ({@link EntityWords}). */
    static final String WORDS = "kg.words";
    /** {@code ns 0 fragment 0 word} -> empty: the namespace's words by their suffixes ({@link EntityWords#fragments}). */
    static final String FRAGMENTS = "kg.fragments";

    private static final byte SEP = 0;
    /** Longest namespace used in keys as it is; {@link #namespace} shortens longer ones. */
    static final int MAX_NAMESPACE_KEY_BYTES = 100;

    private GraphKeys() {
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }

    /** The parts joined, each followed by a 0 byte except the last; the first part is a namespace. */
    static byte[] key(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.write(SEP);
            }
            out.writeBytes(i == 0 ? namespace(parts[0]) : utf8(parts[i]));
        }
        return out.toByteArray();
    }

    /**
     * A namespace as it starts a key. A workspace's namespace may be a long path; past
     * {@link #MAX_NAMESPACE_KEY_BYTES} it is shortened to its start and a SHA-256 digest of the whole,
     * so that node keys and relations keep their room in LMDB's 511-byte keys.
     */
    static byte[] namespace(String ns) {
        byte[] bytes = utf8(ns);
        if (bytes.length <= MAX_NAMESPACE_KEY_BYTES) {
            return bytes;
        }
        int head = 60;
        while ((bytes[head] & 0xC0) == 0x80) {
            head--; // not inside a character
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return utf8(text(bytes, 0, head) + "#" + HexFormat.of().formatHex(digest, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The parts each followed by a 0 byte: the prefix of every key that continues them. */
    static byte[] prefix(String... parts) {
        byte[] joined = key(parts);
        return Arrays.copyOf(joined, joined.length + 1);
    }

    /** The text parts of a key split at its 0 bytes. */
    static List<String> parts(byte[] key) {
        List<String> parts = new ArrayList<>(4);
        int start = 0;
        for (int i = 0; i <= key.length; i++) {
            if (i == key.length || key[i] == SEP) {
                parts.add(text(key, start, i));
                start = i + 1;
            }
        }
        return parts;
    }

    static byte[] node(String ns, NodeKey key) {
        return key(ns, key.toString());
    }

    static byte[] out(String ns, NodeKey src, String relation, NodeKey dst) {
        return key(ns, src.toString(), relation, dst.toString());
    }

    static byte[] in(String ns, NodeKey dst, String relation, NodeKey src) {
        return key(ns, dst.toString(), relation, src.toString());
    }

    static byte[] tag(String ns, String tag, String entity) {
        return key(ns, tag, entity);
    }

    static byte[] lower(String ns, NodeKey key) {
        return key(ns, lowerCase(key.toString()), key.toString());
    }

    static String lowerCase(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    static byte[] mentions(String ns, long count, String entity) {
        byte[] prefix = prefix(ns);
        byte[] name = utf8(entity);
        return ByteBuffer.allocate(prefix.length + 8 + name.length)
                .put(prefix).putLong(Long.MAX_VALUE - count).put(name).array();
    }

    /** The mention count and entity name of a {@link #MENTIONS} key whose namespace prefix is {@code prefixLength} long. */
    static long mentionCount(byte[] key, int prefixLength) {
        return Long.MAX_VALUE - ByteBuffer.wrap(key, prefixLength, 8).getLong();
    }

    static String mentionedEntity(byte[] key, int prefixLength) {
        return text(key, prefixLength + 8, key.length);
    }

    /** The smallest key after {@code key}. */
    static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    /** The smallest key after every key that starts with {@code prefix + part + 0}: skips a whole group. */
    static byte[] afterGroup(byte[] groupPrefixWithSeparator) {
        byte[] next = groupPrefixWithSeparator.clone();
        next[next.length - 1] = 1;
        return next;
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
