package io.engram.memory;

/**
 * The engine's settings, checked where an admin's file is read ({@link MemoryService#SETTINGS}).
 *
 * @param stmTtlMs            how long a short-term memory stays visible after it is added
 * @param searchDefaultLimit  results a search returns when the caller gives no limit
 * @param searchMaxLimit      the largest limit a caller may ask for
 * @param responseBudgetChars how many characters of results one search answer holds at most
 */
public record MemorySettings(long stmTtlMs, int searchDefaultLimit, int searchMaxLimit, int responseBudgetChars) {

    public static final MemorySettings DEFAULTS = new MemorySettings(3_600_000L, 10, 100, 8_000);

    /** Settings with the default response budget. */
    public MemorySettings(long stmTtlMs, int searchDefaultLimit, int searchMaxLimit) {
        this(stmTtlMs, searchDefaultLimit, searchMaxLimit, DEFAULTS.responseBudgetChars());
    }
}
