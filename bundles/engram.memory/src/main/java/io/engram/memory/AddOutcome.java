package io.engram.memory;

import java.util.List;

/**
 * The result of an add: the memory as stored and the names of the entities it was linked to
 * ({@code null} when the knowledge graph is not running, so nothing could be linked).
 */
public record AddOutcome(Memory memory, List<String> entities) {
}
