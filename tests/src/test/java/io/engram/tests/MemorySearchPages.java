package io.engram.tests;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Lists every result of a memory_search, following nextCursor page after page. */
final class MemorySearchPages {

    /** More pages than any test's listing needs: a cursor that never ends is a bug. */
    private static final int MAX_PAGES = 1_000;

    private MemorySearchPages() {
    }

    /** The results of every page of the search {@code arguments} describes, in rank order. */
    static List<JsonObject> all(McpClient client, Map<String, ?> arguments) throws Exception {
        List<JsonObject> results = new ArrayList<>();
        Map<String, Object> call = new HashMap<>(arguments);
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonObject answer = client.callToolOk("memory_search", call);
            for (JsonElement result : answer.getAsJsonArray("results")) {
                results.add(result.getAsJsonObject());
            }
            if (!answer.has("nextCursor")) {
                return results;
            }
            call.put("cursor", answer.get("nextCursor").getAsString());
        }
        throw new AssertionError("memory_search " + arguments + " still had a nextCursor after " + MAX_PAGES
                + " pages");
    }

    /** The ids of every result of the search. */
    static List<String> ids(McpClient client, Map<String, ?> arguments) throws Exception {
        return all(client, arguments).stream().map(result -> result.get("id").getAsString()).toList();
    }
}
