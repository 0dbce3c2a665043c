package io.engram.kg.graph;

/** A relation from {@code src} to {@code dst}; both nodes are in {@code namespace}. */
public record Edge(String namespace, NodeKey src, NodeKey dst, String relation) {
}
