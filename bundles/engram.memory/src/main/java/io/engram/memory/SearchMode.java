package io.engram.memory;

import io.engram.api.tool.InvalidArgumentException;
import java.util.Locale;

/** How memory_search ranks: by words, by meaning (the semantic bundle), or both fused. */
public enum SearchMode {
    TEXT, SEMANTIC, HYBRID;

    /** The {@code mode} argument; null when absent (the default applies). */
    static SearchMode fromArgument(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException(name, "must be text, semantic or hybrid, got " + value);
        }
    }

    String argument() {
        return name().toLowerCase(Locale.ROOT);
    }
}
