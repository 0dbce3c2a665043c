package io.engram.memory;

import io.engram.api.tool.InvalidArgumentException;
import java.util.Locale;

/** The layer a memory lives in: short-term memories expire, long-term ones do not. */
public enum Layer {
    /** Short-term: expires after the configured time to live. */
    STM,
    /** Long-term: kept until deleted. */
    LTM;

    /**
     * Reads a layer argument ("STM" or "LTM", any case); a blank or absent value gives
     * {@code fallback}.
     */
    public static Layer fromArgument(String field, String value, Layer fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException(field, "expected \"STM\" or \"LTM\", got \"" + value + "\"");
        }
    }
}
