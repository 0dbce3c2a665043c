package io.engram.kg.graph;

import java.util.Objects;

/**
 * A node's identity within its namespace: a type and an id, written {@code Entity::Python}.
 * Ids are trimmed, non-empty, without control characters; the whole key is at most
 * {@link GraphNames#MAX_NODE_KEY_BYTES} bytes of UTF-8.
 */
public record NodeKey(NodeType type, String id) {

    /** Between the type label and the id. */
    public static final String SEPARATOR = "::";

    public NodeKey {
        Objects.requireNonNull(type, "type");
        id = id == null ? null : id.trim();
        GraphNames.check(type.label() + " id", id, GraphNames.MAX_NODE_KEY_BYTES - type.label().length() - 2);
    }

    /**
     * The entity named {@code name}. A leading {@code Entity::} (any case) is dropped; any other
     * {@code ::} is part of the name, as in {@code std::vector}.
     */
    public static NodeKey entity(String name) {
        String prefix = NodeType.ENTITY.label() + SEPARATOR;
        if (name != null && name.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return new NodeKey(NodeType.ENTITY, name.substring(prefix.length()));
        }
        return new NodeKey(NodeType.ENTITY, name);
    }

    /**
     * Parses {@code Type::id} (type label in any case); text without {@code ::} is an entity name.
     */
    public static NodeKey parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("node key must not be empty");
        }
        int at = text.indexOf(SEPARATOR);
        if (at < 0) {
            return new NodeKey(NodeType.ENTITY, text);
        }
        NodeType type = NodeType.ofLabel(text.substring(0, at));
        if (type == null) {
            throw new IllegalArgumentException("unknown node type '" + text.substring(0, at).trim() + "' in '" + text
                    + "'; expected Entity, Document, Memory or Episode (as in Entity::Python; an entity whose name"
                    + " contains '::' is written Entity::" + text.trim() + ")");
        }
        return new NodeKey(type, text.substring(at + SEPARATOR.length()));
    }

    @Override
    public String toString() {
        return type.label() + SEPARATOR + id;
    }
}
