package io.engram.memory;

/**
 * The engine's settings, checked where an admin's file is read ({@link MemoryService#SETTINGS}).
 *
 * @param stmTtlMs            how long a short-term memory stays visible after it is added
 * @param searchDefaultLimit  results a search returns when the caller gives no limit
 * @param searchMaxLimit      the largest limit a caller may ask for
 * @param responseBudgetChars how many characters of results one search answer holds at most
 * @param boostContent        weight of a match in a memory's content
 * @param boostMetadata       weight of a match in its metadata values
 * @param boostEntities       weight of a match in the entity names it was linked to
 * @param fusionK             reciprocal rank fusion's k: a hit at rank r adds {@code weight / (k + r)}
 * @param textWeight          weight of the text ranking in a hybrid search
 * @param semanticWeight      weight of the semantic ranking in a hybrid search
 * @param fusionDepth         how many hits of each ranking a hybrid search fuses
 * @param semanticFloor       the least cosine similarity a memory needs to be found by meaning
 */
public record MemorySettings(long stmTtlMs, int searchDefaultLimit, int searchMaxLimit, int responseBudgetChars,
        double boostContent, double boostMetadata, double boostEntities, int fusionK, double textWeight,
        double semanticWeight, int fusionDepth, double semanticFloor) {

    public static final MemorySettings DEFAULTS = new MemorySettings(3_600_000L, 10, 100, 8_000, 1.0, 0.5, 1.0,
            60, 1.0, 1.0, 100, 0.1);

    /** Settings with the default search weights. */
    public MemorySettings(long stmTtlMs, int searchDefaultLimit, int searchMaxLimit, int responseBudgetChars) {
        this(stmTtlMs, searchDefaultLimit, searchMaxLimit, responseBudgetChars, DEFAULTS.boostContent(),
                DEFAULTS.boostMetadata(), DEFAULTS.boostEntities(), DEFAULTS.fusionK(), DEFAULTS.textWeight(),
                DEFAULTS.semanticWeight(), DEFAULTS.fusionDepth(), DEFAULTS.semanticFloor());
    }

    /** Settings with the default response budget and field weights. */
    public MemorySettings(long stmTtlMs, int searchDefaultLimit, int searchMaxLimit) {
        this(stmTtlMs, searchDefaultLimit, searchMaxLimit, DEFAULTS.responseBudgetChars());
    }

    /** The field weights in {@link MemoryTextIndex#FIELDS} order. */
    double[] fieldBoosts() {
        return new double[] {boostContent, boostMetadata, boostEntities};
    }
}
