package io.engram.memory;

import io.engram.api.store.ReadTxn;
import io.engram.api.store.WriteTxn;
import io.engram.text.TextAnalyzer;
import io.engram.text.index.IndexDocument;
import io.engram.text.index.PreparedDocument;
import io.engram.text.index.TextIndex;
import io.engram.text.index.TextQuery;
import io.engram.text.index.TextResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How memories are kept in the text index ({@code text.memory.*}, engram.text): which parts are
 * searched as which field, which filters are keywords, and the translation of a {@link SearchQuery}.
 * The engine calls it inside its own write transactions, so the index always matches the records.
 */
final class MemoryTextIndex {

    /** The searched fields, in index order: the memory's text, its metadata values, the entities it names. */
    static final List<String> FIELDS = List.of("content", "metadata", "entities");

    private final TextIndex index = TextIndex.of("memory", TextAnalyzer.english(), FIELDS);

    TextIndex index() {
        return index;
    }

    /** Analyzes {@code memory}: outside any transaction. */
    PreparedDocument prepare(Memory memory) {
        List<String> fields = new ArrayList<>(3);
        fields.add(memory.content());
        fields.add(metadataText(memory.metadata()));
        fields.add(memory.entities() == null ? null : String.join("\n", memory.entities()));
        Set<String> keywords = keywords(memory.layer(), memory.sessionId(), memory.episodeId(), tags(memory));
        return index.prepare(new IndexDocument(memory.id(), memory.namespace(), fields, keywords, memory.createdAt(),
                memory.expiresAt() == null ? 0 : memory.expiresAt()));
    }

    /** The exact values a memory is stored with and a search filters by (null or empty: none). */
    private static Set<String> keywords(Layer layer, String sessionId, String episodeId, Collection<String> tags) {
        Set<String> keywords = new LinkedHashSet<>();
        if (layer != null) {
            keywords.add("layer:" + layer.name());
        }
        if (sessionId != null) {
            keywords.add("session:" + sessionId);
        }
        if (episodeId != null) {
            keywords.add("episode:" + episodeId);
        }
        for (String tag : tags) {
            keywords.add("tag:" + normalTag(tag));
        }
        return keywords;
    }

    /**
     * Stores {@code prepared} in the transaction that stores its memory. On a store that has never had
     * the index and holds no memory yet, the index starts here, empty; a store with memories from
     * before gets its index from {@link MemoryEngine#rebuildIndex}.
     */
    void put(WriteTxn txn, PreparedDocument prepared) {
        if (!index.put(txn, prepared)) {
            startIfNoMemories(txn);
            index.put(txn, prepared);
        }
    }

    void remove(WriteTxn txn, String id) {
        index.remove(txn, id);
    }

    /** Starts an empty index when nothing is indexed or being built and there are no memories. */
    void startIfNoMemories(WriteTxn txn) {
        TextIndex.State state = index.state(txn);
        if (state.active() == null && state.building() == null && txn.count(MemoryEngine.RECORDS) == 0) {
            index.activateEmpty(txn);
        }
    }

    /** The index's answer, or null while it cannot answer (not built yet with this analyzer). */
    TextResult search(ReadTxn txn, SearchQuery query, long now, double[] boosts) {
        Set<String> keywords = keywords(query.layer(), query.sessionId(), query.episodeId(), query.tags());
        SearchPosition after = query.after();
        TextQuery.Position position = after == null ? null
                : new TextQuery.Position(after.score(), after.createdAt(), after.id(), after.indexDoc());
        return index.search(txn, new TextQuery(query.text(), query.namespaces(), keywords, query.from(), query.to(), now,
                boosts, query.limit(), position, true));
    }

    /** The tags in a memory's metadata ({@code tags}: a string or a list of strings), trimmed and lower-cased. */
    static Set<String> tags(Memory memory) {
        Set<String> tags = new LinkedHashSet<>();
        Object value = memory.metadata() == null ? null : memory.metadata().get("tags");
        if (value instanceof String tag) {
            addTag(tags, tag);
        } else if (value instanceof Collection<?> list) {
            for (Object tag : list) {
                if (tag instanceof String text) {
                    addTag(tags, text);
                }
            }
        }
        return tags;
    }

    private static void addTag(Set<String> tags, String tag) {
        String normal = normalTag(tag);
        if (!normal.isEmpty()) {
            tags.add(normal);
        }
    }

    static String normalTag(String tag) {
        return tag.strip().toLowerCase(Locale.ROOT);
    }

    /** The metadata's values as text (keys too, so that {@code {"project": "engram"}} is found by either). */
    private static String metadataText(Map<String, Object> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        appendValue(text, metadata);
        return text.toString();
    }

    private static void appendValue(StringBuilder text, Object value) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                text.append(entry.getKey()).append(": ");
                appendValue(text, entry.getValue());
                text.append('\n');
            }
        } else if (value instanceof Collection<?> list) {
            for (Object item : list) {
                appendValue(text, item);
                text.append('\n');
            }
        } else if (value != null) {
            text.append(value);
        }
    }
}
