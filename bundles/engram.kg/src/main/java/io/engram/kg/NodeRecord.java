package io.engram.kg;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.engram.kg.graph.Node;
import io.engram.kg.graph.NodeKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A node as stored in {@link GraphKeys#NODES}: JSON, so fields can be added later (a missing field
 * reads as empty). Entities use every field; other nodes only the times.
 */
final class NodeRecord {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    String entityType;
    /** Never null: {@link #created} and {@link #decode} make both lists; only {@link #encode} leaves empty ones out. */
    List<String> observations;
    List<String> tags;
    long mentions;
    long created;
    long updated;

    static NodeRecord created(long now) {
        NodeRecord record = new NodeRecord();
        record.created = now;
        record.updated = now;
        record.observations = new ArrayList<>();
        record.tags = new ArrayList<>();
        return record;
    }

    static NodeRecord decode(byte[] value) {
        NodeRecord record = GSON.fromJson(new String(value, StandardCharsets.UTF_8), NodeRecord.class);
        record.observations = record.observations == null ? new ArrayList<>() : new ArrayList<>(record.observations);
        record.tags = record.tags == null ? new ArrayList<>() : new ArrayList<>(record.tags);
        return record;
    }

    byte[] encode() {
        List<String> keptObservations = observations;
        List<String> keptTags = tags;
        // empty lists are left out: most nodes have none
        observations = observations.isEmpty() ? null : observations;
        tags = tags.isEmpty() ? null : tags;
        try {
            return GSON.toJson(this).getBytes(StandardCharsets.UTF_8);
        } finally {
            observations = keptObservations;
            tags = keptTags;
        }
    }

    Node toNode(String namespace, NodeKey key) {
        return new Node(namespace, key, entityType, observations, tags, mentions, created, updated);
    }
}
