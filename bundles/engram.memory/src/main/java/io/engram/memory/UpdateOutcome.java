package io.engram.memory;

import java.util.List;

/**
 * The result of an update: the memory's namespace, its version afterwards and the names of what
 * changed ("text", "metadata", "layer"); an update that changes nothing keeps the version.
 */
public record UpdateOutcome(String id, String namespace, long version, List<String> changed) {
}
