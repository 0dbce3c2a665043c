package io.engram.kg.graph;

import java.nio.charset.StandardCharsets;

/**
 * The rules every name in the graph follows, so that any namespace, node key, relation and tag
 * fits a storage key (at most 511 bytes; a long namespace is stored shortened with a digest) and
 * can be told apart from its neighbours there.
 * Violations throw {@link IllegalArgumentException} with a message a user can act on.
 */
public final class GraphNames {

    /** Longest namespace, in UTF-8 bytes (a workspace's namespace may be a long path). */
    public static final int MAX_NAMESPACE_BYTES = 4096;
    /** Longest node key ({@code Type::id}), in UTF-8 bytes. */
    public static final int MAX_NODE_KEY_BYTES = 150;
    /** Longest relation name, in UTF-8 bytes. */
    public static final int MAX_RELATION_BYTES = 64;
    /** Longest tag, in UTF-8 bytes. */
    public static final int MAX_TAG_BYTES = 100;

    private GraphNames() {
    }

    /** The namespace, checked. */
    public static String namespace(String namespace) {
        return check("namespace", namespace, MAX_NAMESPACE_BYTES);
    }

    /** The tag trimmed and checked. */
    public static String tag(String tag) {
        return check("tag", tag == null ? null : tag.trim(), MAX_TAG_BYTES);
    }

    static String check(String what, String text, int maxBytes) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new IllegalArgumentException(what + " must not contain control characters (found U+"
                        + String.format("%04X", (int) text.charAt(i)) + ")");
            }
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new IllegalArgumentException(what + " is " + bytes + " bytes long; the most is " + maxBytes);
        }
        return text;
    }
}
