package io.engram.memory;

/**
 * The engine's settings, checked where an admin's file is read ({@link MemoryService#SETTINGS}).
 *
 * @param stmTtlMs           how long a short-term memory stays visible after it is added
 * @param searchDefaultLimit results a search returns when the caller gives no limit
 * @param searchMaxLimit     the largest limit a caller may ask for
 */
public record MemorySettings(long stmTtlMs, int searchDefaultLimit, int searchMaxLimit) {

    public static final MemorySettings DEFAULTS = new MemorySettings(3_600_000L, 10, 100);
}
