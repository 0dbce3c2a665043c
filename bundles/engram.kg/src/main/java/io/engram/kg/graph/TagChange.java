package io.engram.kg.graph;

import java.util.List;

/**
 * What tagging or untagging an entity did.
 *
 * @param entityExists whether the entity exists after the change (tagging creates it)
 * @param tags         every tag of the entity after the change
 * @param changed      the tags added (tagging) or removed (untagging), each once
 */
public record TagChange(boolean entityExists, List<String> tags, List<String> changed) {

    public TagChange {
        tags = List.copyOf(tags);
        changed = List.copyOf(changed);
    }
}
