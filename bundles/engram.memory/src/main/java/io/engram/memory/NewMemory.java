package io.engram.memory;

import io.engram.api.tool.ToolContext;
import java.util.List;
import java.util.Map;

/**
 * What a caller supplies to add a memory; every part but content, layer and namespace may be null.
 *
 * @param namespace the workspace the memory belongs to
 * @param entities  entity names to link it to besides those its content names (null: none)
 */
public record NewMemory(String content, Map<String, Object> metadata, List<DocRef> references, Layer layer,
        String sessionId, String episodeId, String namespace, List<String> entities) {

    /** A memory linked only to the entities its content names. */
    public NewMemory(String content, Map<String, Object> metadata, List<DocRef> references, Layer layer,
            String sessionId, String episodeId, String namespace) {
        this(content, metadata, references, layer, sessionId, episodeId, namespace, null);
    }

    /** A memory in the {@link ToolContext#GLOBAL_NAMESPACE global} namespace. */
    public NewMemory(String content, Map<String, Object> metadata, List<DocRef> references, Layer layer,
            String sessionId, String episodeId) {
        this(content, metadata, references, layer, sessionId, episodeId, ToolContext.GLOBAL_NAMESPACE);
    }
}
