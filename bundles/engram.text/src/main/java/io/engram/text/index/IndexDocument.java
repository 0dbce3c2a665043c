package io.engram.text.index;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link TextIndex} stores for one document.
 *
 * @param id        the caller's id of the document, unique in the index (at most 200 UTF-8 bytes)
 * @param partition the part of the index it belongs to (a namespace): each partition's postings are
 *                  one key range, so a search of a few partitions never reads the others'
 * @param fields    the texts of the index's fields, in the order the index names them; null or empty for none
 * @param keywords  exact values a search can require ({@code layer:LTM}, {@code session:abc}); never analyzed
 * @param time      when the document was made, epoch ms: newest-first order and time filters
 * @param expiresAt when it stops being found, epoch ms; 0 for never
 */
public record IndexDocument(String id, String partition, List<String> fields, Set<String> keywords, long time,
        long expiresAt) {

    public IndexDocument {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(partition, "partition");
        fields = fields == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(fields));
        keywords = keywords == null ? Set.of() : Set.copyOf(keywords);
    }
}
