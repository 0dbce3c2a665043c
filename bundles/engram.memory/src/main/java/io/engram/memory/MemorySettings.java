package io.engram.memory;

/**
 * The engine's settings.
 *
 * @param stmTtlMs           how long a short-term memory stays visible after it is added
 * @param searchDefaultLimit results a search returns when the caller gives no limit
 * @param searchMaxLimit     the largest limit a caller may ask for
 */
public record MemorySettings(long stmTtlMs, int searchDefaultLimit, int searchMaxLimit) {

    public static final MemorySettings DEFAULTS = new MemorySettings(3_600_000L, 10, 100);

    public MemorySettings {
        if (stmTtlMs <= 0) {
            throw new IllegalArgumentException("stmTtlMs must be positive, got " + stmTtlMs);
        }
        if (searchMaxLimit < 1) {
            throw new IllegalArgumentException("searchMaxLimit must be at least 1, got " + searchMaxLimit);
        }
        if (searchDefaultLimit < 1 || searchDefaultLimit > searchMaxLimit) {
            throw new IllegalArgumentException("searchDefaultLimit must be between 1 and searchMaxLimit ("
                    + searchMaxLimit + "), got " + searchDefaultLimit);
        }
    }
}
