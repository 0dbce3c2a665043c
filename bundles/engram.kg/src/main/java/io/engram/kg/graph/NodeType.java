package io.engram.kg.graph;

import java.util.Locale;

/** The kinds of node; each key starts with the label, as in {@code Entity::Python}. */
public enum NodeType {
    ENTITY("Entity"), DOCUMENT("Document"), MEMORY("Memory"), EPISODE("Episode");

    private final String label;

    NodeType(String label) {
        this.label = label;
    }

    /** The label used in node keys and tool arguments: {@code Entity}, {@code Document}, ... */
    public String label() {
        return label;
    }

    /** The type whose label is {@code label}, ignoring case; null when there is none. */
    public static NodeType ofLabel(String label) {
        for (NodeType type : values()) {
            if (type.label.toLowerCase(Locale.ROOT).equals(label.trim().toLowerCase(Locale.ROOT))) {
                return type;
            }
        }
        return null;
    }
}
