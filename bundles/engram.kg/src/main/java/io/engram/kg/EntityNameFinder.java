package io.engram.kg;

import io.engram.api.store.ReadTxn;
import io.engram.kg.graph.NodeKey;
import io.engram.kg.graph.NodeType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the entities of a namespace whose names occur in a text by walking the case-insensitive
 * name index ({@link GraphKeys#LOWER}) along the text, so the cost follows the text and the names
 * that share its words, not the number of entities: at each place a name may start, a few seeks
 * narrow the sorted names down to those that are a prefix of the rest of the text.
 *
 * <p>Matching rules: case does not matter; a run of white space in the text matches one space; a
 * name must not start or end inside a word of the text (letters, digits and {@code _} make words,
 * so {@code Rust} is not found in {@code Rusty} nor {@code snake_case} in {@code my_snake_case}),
 * but may hold or neighbour punctuation ({@code std::vector}, {@code Node.js}, {@code C++}); at one
 * place the longest name wins ({@code std::vector} rather than {@code std}), and the search goes on
 * after it.
 */
final class EntityNameFinder {

    /** Longest entity name in bytes: the node key limit less {@code Entity::}. */
    private static final int MAX_NAME_BYTES = 150 - NodeType.ENTITY.label().length() - NodeKey.SEPARATOR.length();

    private final ReadTxn txn;
    /** {@code ns 0 entity::}: every key of an entity name in the lower-case index starts with it. */
    private final byte[] prefix;

    private EntityNameFinder(ReadTxn txn, String ns) {
        this.txn = txn;
        this.prefix = GraphKeys.key(ns, GraphKeys.lowerCase(NodeType.ENTITY.label() + NodeKey.SEPARATOR));
    }

    /** The entities named in {@code text}, each once, in the order they first occur. */
    static List<NodeKey> find(ReadTxn txn, String ns, String text) {
        EntityNameFinder finder = new EntityNameFinder(txn, ns);
        if (!finder.anyEntity()) {
            return List.of(); // one seek instead of one per word, for a namespace without entities (often global)
        }
        String normalized = normalize(text);
        Set<NodeKey> found = new LinkedHashSet<>();
        int i = 0;
        while (i < normalized.length()) {
            int cp = normalized.codePointAt(i);
            int next = i + Character.charCount(cp);
            boolean word = isWordChar(cp);
            if (cp == ' ' || word && i > 0 && isWordChar(normalized.codePointBefore(i))) {
                i = next;
                continue;
            }
            Match match = finder.longestAt(normalized, i, word);
            if (match == null) {
                i = next;
            } else {
                found.addAll(match.entities);
                i += match.chars;
            }
        }
        return new ArrayList<>(found);
    }

    private boolean anyEntity() {
        boolean[] any = new boolean[1];
        txn.scanPrefix(GraphKeys.LOWER, prefix, (key, value) -> {
            any[0] = true;
            return false;
        });
        return any[0];
    }

    /** Lower case, every run of white space one space. */
    static String normalize(String text) {
        return GraphKeys.lowerCase(text).replaceAll("\\s+", " ");
    }

    static boolean isWordChar(int codePoint) {
        return Character.isLetterOrDigit(codePoint) || codePoint == '_';
    }

    /** Names matched at one place: every entity of the longest matching name (names may differ in case only). */
    private record Match(int chars, List<NodeKey> entities) {
    }

    /**
     * The longest names that the text continues from {@code start}, or null. A name starting with a
     * word character must take in the text's whole first word, so the walk starts there.
     */
    private Match longestAt(String text, int start, boolean startsWithWord) {
        int end = start + Character.charCount(text.codePointAt(start));
        if (startsWithWord) {
            while (end < text.length() && isWordChar(text.codePointAt(end))) {
                end += Character.charCount(text.codePointAt(end));
            }
        }
        if (end - start > MAX_NAME_BYTES) {
            return null; // a word longer than any name
        }
        // the rest of the text, cut to the longest name (bytes >= chars) and one more character for the boundary
        String rest = text.substring(start, Math.min(text.length(), start + MAX_NAME_BYTES + 2));
        byte[] restBytes = rest.getBytes(StandardCharsets.UTF_8);
        int firstBytes = text.substring(start, end).getBytes(StandardCharsets.UTF_8).length;
        Walk walk = new Walk(rest, restBytes);
        byte[] from = concat(prefix, restBytes, firstBytes);
        while (from != null) {
            walk.reseek = null;
            txn.scan(GraphKeys.LOWER, from, walk::visit);
            from = walk.reseek;
        }
        return walk.longestBytes < 0 ? null : new Match(walk.longestChars, walk.longest);
    }

    /**
     * One walk of the sorted names against the rest of the text. A name that is a prefix of it is a
     * candidate; at the first name that parts from it, the walk either ends (the name sorts after the
     * text, so every later one does) or seeks straight to the text's next longer prefix.
     */
    private final class Walk {
        final String rest;
        final byte[] restBytes;
        byte[] reseek;
        int longestBytes = -1;
        int longestChars;
        List<NodeKey> longest = new ArrayList<>();

        Walk(String rest, byte[] restBytes) {
            this.rest = rest;
            this.restBytes = restBytes;
        }

        boolean visit(byte[] key, byte[] value) {
            if (!GraphKeys.startsWith(key, prefix)) {
                return false;
            }
            int nameEnd = prefix.length;
            while (nameEnd < key.length && key[nameEnd] != 0) {
                nameEnd++;
            }
            int nameLength = nameEnd - prefix.length;
            int common = 0;
            while (common < nameLength && common < restBytes.length
                    && key[prefix.length + common] == restBytes[common]) {
                common++;
            }
            if (common == nameLength) {
                candidate(key, nameEnd, nameLength);
                return true;
            }
            if (common < restBytes.length
                    && (key[prefix.length + common] & 0xFF) < (restBytes[common] & 0xFF)) {
                reseek = concat(prefix, restBytes, common + 1);
            }
            return false;
        }

        /** The name (lower case, {@code length} bytes) is a prefix of the rest of the text: does it end at a boundary? */
        private void candidate(byte[] key, int nameEnd, int length) {
            String name = new String(key, prefix.length, length, StandardCharsets.UTF_8);
            int chars = name.length();
            if (chars < rest.length() && isWordChar(name.codePointBefore(chars)) && isWordChar(rest.codePointAt(chars))) {
                return; // ends inside a word of the text
            }
            if (length > longestBytes) {
                longestBytes = length;
                longestChars = chars;
                longest = new ArrayList<>();
            }
            // the key ends with the node key as stored: Entity::<name in its own case>
            longest.add(NodeKey.parse(new String(key, nameEnd + 1, key.length - nameEnd - 1, StandardCharsets.UTF_8)));
        }
    }

    private static byte[] concat(byte[] head, byte[] tail, int tailLength) {
        byte[] joined = Arrays.copyOf(head, head.length + tailLength);
        System.arraycopy(tail, 0, joined, head.length, tailLength);
        return joined;
    }
}
