package io.engram.memory;

import java.util.List;
import java.util.Map;

/** What a caller supplies to add a memory; every part but content and layer may be null. */
public record NewMemory(String content, Map<String, Object> metadata, List<DocRef> references, Layer layer,
        String sessionId, String episodeId) {
}
