package io.engram.memory;

import com.google.gson.annotations.SerializedName;
import java.util.List;
import java.util.Map;

/**
 * One stored memory, exactly as it is kept in the {@code memory.records} keyspace (JSON).
 * Optional parts are null when absent; times are epoch milliseconds.
 *
 * @param namespace the workspace the memory belongs to; records written before namespaces existed
 *     have none and are read as {@link io.engram.api.tool.ToolContext#GLOBAL_NAMESPACE}
 * @param expiresAt when a short-term memory stops being visible; null for long-term ones
 * @param entities  entity names the caller linked it to besides those its content names (kept so
 *     that a new content keeps them); null when none
 */
public record Memory(
        String id,
        String namespace,
        String content,
        Map<String, Object> metadata,
        List<DocRef> references,
        Layer layer,
        @SerializedName("session_id") String sessionId,
        @SerializedName("episode_id") String episodeId,
        long version,
        @SerializedName("created_at") long createdAt,
        @SerializedName("updated_at") long updatedAt,
        @SerializedName("expires_at") Long expiresAt,
        List<String> entities) {

    /** This memory in {@code newNamespace}. */
    Memory inNamespace(String newNamespace) {
        return new Memory(id, newNamespace, content, metadata, references, layer, sessionId, episodeId, version,
                createdAt, updatedAt, expiresAt, entities);
    }

    /** Whether the memory has expired at {@code now} and must no longer be seen. */
    public boolean isExpiredAt(long now) {
        return expiresAt != null && expiresAt <= now;
    }
}
