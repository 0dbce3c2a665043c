package io.engram.memory;

import java.util.Map;

/**
 * The changes of one update; a null part stays as it is. Metadata replaces the old
 * metadata as a whole.
 */
public record MemoryChanges(String content, Map<String, Object> metadata, Layer layer) {
}
