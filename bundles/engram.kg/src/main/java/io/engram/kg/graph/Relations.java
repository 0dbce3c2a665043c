package io.engram.kg.graph;

import java.util.Locale;

/**
 * Relation names. The built-in ones are upper case and matched in any case; any other name
 * (such as the reference memory server's {@code works_at}) is kept as given, trimmed.
 */
public final class Relations {

    /** The default: two nodes are related. */
    public static final String RELATED = "RELATED";
    /** The source mentions the destination; edges into an entity count as its mentions. */
    public static final String MENTIONS = "MENTIONS";
    /** The source is evidence for the destination. */
    public static final String EVIDENCE = "EVIDENCE";

    private Relations() {
    }

    /** {@code relation} checked and normalised; null or blank means {@link #RELATED}. */
    public static String normalize(String relation) {
        if (relation == null || relation.isBlank()) {
            return RELATED;
        }
        String trimmed = relation.trim();
        for (String builtIn : new String[] {RELATED, MENTIONS, EVIDENCE}) {
            if (builtIn.equals(trimmed.toUpperCase(Locale.ROOT))) {
                return builtIn;
            }
        }
        return GraphNames.check("relation", trimmed, GraphNames.MAX_RELATION_BYTES);
    }
}
