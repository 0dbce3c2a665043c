package io.engram.memory;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import io.engram.text.index.TextHit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code memory_search}: finds memories by words and filters, best matches first. */
@Component(service = Tool.class)
public class MemorySearchTool extends AbstractTool {

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "q": {
                  "type": "string",
                  "description": "Words to look for: any may match, rarer and repeated words weigh more; word forms match (\\"caching\\" finds \\"cache\\"). \\"quoted words\\" must occur together in that order; pars* matches words starting with pars. Code identifiers match whole and by parts (parseJsonFile also matches \\"json\\"). Leave empty to list the newest memories."
                },
                "limit": {
                  "type": "integer",
                  "default": 10,
                  "description": "Maximum number of results per page (the server caps it, at 100 unless configured otherwise)."
                },
                "cursor": {
                  "type": "string",
                  "description": "nextCursor of the previous answer, to get the next page; same other arguments."
                },
                "layer": {
                  "type": "string",
                  "enum": ["STM", "LTM"],
                  "description": "Only short-term (STM) or only long-term (LTM) memories."
                },
                "episode": {
                  "type": "string",
                  "description": "Only memories added with this episode_id."
                },
                "session": {
                  "type": "string",
                  "description": "Only memories added with this session_id."
                },
                "from": {
                  "type": "integer",
                  "description": "Only memories created at or after this time, epoch milliseconds."
                },
                "to": {
                  "type": "integer",
                  "description": "Only memories created at or before this time, epoch milliseconds."
                },
                "namespace": {
                  "type": "string",
                  "description": "Search only this namespace (a workspace, or \\"global\\"). Leave it out to search the current workspace and global."
                },
                "tags": {
                  "type": "array",
                  "items": {"type": "string"},
                  "description": "Only memories whose metadata tags include every one of these (any case)."
                },
                "explain": {
                  "type": "boolean",
                  "default": false,
                  "description": "Also say, per result, what each matched word contributed to its score."
                },
                "mode": {
                  "type": "string",
                  "enum": ["text", "semantic", "hybrid"],
                  "description": "text: by words; semantic: by meaning (finds paraphrases with no word in common); hybrid: both fused. Default hybrid when semantic search is installed, else text; semantic and hybrid fall back to text when it is not."
                }
              }
            }
            """;

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "results": {
                  "type": "array",
                  "description": "Best matches first; without q, newest first.",
                  "items": {
                    "type": "object",
                    "properties": {
                      "id": {"type": "string"},
                      "namespace": {"type": "string", "description": "The namespace the memory is in: a workspace or \\"global\\"."},
                      "score": {"type": "number", "description": "Relevance to q (higher is better); 0 without q."},
                      "layer": {"type": "string", "enum": ["STM", "LTM"]},
                      "content": {"type": "string"},
                      "created_at": {"type": "integer", "description": "Epoch milliseconds."},
                      "updated_at": {"type": "integer", "description": "Epoch milliseconds."},
                      "version": {"type": "integer"},
                      "expires_at": {"type": "integer", "description": "When a short-term memory expires, epoch milliseconds."},
                      "session_id": {"type": "string"},
                      "episode_id": {"type": "string"},
                      "metadata": {"type": "object"},
                      "docRefs": {
                        "type": "array",
                        "items": {
                          "type": "object",
                          "properties": {
                            "docId": {"type": "string"},
                            "chunkId": {"type": "string"},
                            "score": {"type": "number"}
                          },
                          "required": ["docId"]
                        }
                      },
                      "explain": {
                        "type": "object",
                        "description": "Why the memory matched.",
                        "properties": {
                          "matchedTerms": {"type": "array", "items": {"type": "string"}, "description": "The indexed words it matched (stemmed: \\"caching\\" shows as \\"cache\\")."},
                          "terms": {
                            "type": "array",
                            "description": "With explain: each matched word's part of the score (BM25F), largest first.",
                            "items": {
                              "type": "object",
                              "properties": {
                                "term": {"type": "string"},
                                "clause": {"type": "string", "enum": ["word", "phrase", "prefix"]},
                                "fields": {"type": "object", "description": "Occurrences per field: content, metadata, entities."},
                                "idf": {"type": "number", "description": "How rare the word is among the searched memories."},
                                "score": {"type": "number"}
                              },
                              "required": ["term", "clause", "fields", "idf", "score"]
                            }
                          },
                          "fusion": {
                            "type": "object",
                            "description": "Semantic and hybrid searches: the memory's rank in each ranking (absent where it was not among the best) and what each added to score: weight / (k + rank).",
                            "properties": {
                              "k": {"type": "integer"},
                              "text": {"type": "object", "properties": {"rank": {"type": "integer"}, "score": {"type": "number"}, "contribution": {"type": "number"}}},
                              "semantic": {"type": "object", "properties": {"rank": {"type": "integer"}, "similarity": {"type": "number"}, "contribution": {"type": "number"}}}
                            }
                          }
                        }
                      }
                    },
                    "required": ["id", "namespace", "score", "layer", "content", "created_at", "updated_at", "version"]
                  }
                },
                "total": {"type": "integer", "description": "How many memories matched in all, before the limit (every page together); at least this many when totalExact is false."},
                "mode": {"type": "string", "enum": ["text", "semantic", "hybrid"], "description": "How the results were ranked."},
                "totalExact": {"type": "boolean", "description": "False when counting stopped early (a very common word): total is then a lower bound."},
                "tookMs": {"type": "integer"},
                "truncated": {"type": "boolean", "description": "Present and true when this page stopped early to stay within the response size budget; continue with nextCursor."},
                "nextCursor": {"type": "string", "description": "Present when more results remain: pass it as cursor to get them."}
              },
              "required": ["results", "total", "totalExact", "tookMs"]
            }
            """;

    private static final String DESCRIPTION =
            "Search saved memories by words, best matches first, each with its full content. Filter by layer,"
            + " session, episode or creation time; leave q empty to list the newest memories. Expired short-term"
            + " memories are never returned. It covers the current workspace and the global namespace unless"
            + " namespace names one. Answers are kept small: follow nextCursor for more. Use it before answering"
            + " questions about earlier work, decisions or preferences.";

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final MemoryEngine memory;

    @Activate
    public MemorySearchTool(@Reference(name = "memory") MemoryEngine memory) {
        super("memory_search", "Search memories", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA,
                ToolAnnotations.readOnly());
        this.memory = memory;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        long started = System.nanoTime();
        MemorySettings settings = memory.settings();
        Long from = arguments.optLong("from");
        Long to = arguments.optLong("to");
        if (from != null && to != null && to < from) {
            throw new InvalidArgumentException("to", "must not be before from (" + from + "), got " + to);
        }
        SearchQuery first = new SearchQuery(
                arguments.optString("q", ""),
                arguments.optInt("limit", settings.searchDefaultLimit(), 1, settings.searchMaxLimit()),
                Layer.fromArgument("layer", arguments.optString("layer", null), null),
                MemoryArguments.optText(arguments, "session"),
                MemoryArguments.optText(arguments, "episode"),
                from,
                to,
                namespaces(arguments, context),
                tags(arguments),
                null,
                SearchMode.fromArgument("mode", arguments.optString("mode", null)));
        boolean explain = arguments.optBoolean("explain", false);
        SearchQuery query = first.after(SearchCursor.read(first, MemoryArguments.optText(arguments, "cursor")));
        SearchResult found = memory.search(query);
        List<Map<String, Object>> results = new ArrayList<>(found.hits().size());
        int used = 0;
        boolean truncated = false;
        for (SearchHit hit : found.hits()) {
            Map<String, Object> described = describe(hit, explain);
            int size = GSON.toJson(described).length() + 1;
            // the first result is always given whole, however long, so paging always moves on
            if (!results.isEmpty() && used + size > settings.responseBudgetChars()) {
                truncated = true;
                break;
            }
            results.add(described);
            used += size;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("results", results);
        result.put("total", found.total());
        result.put("totalExact", found.totalExact());
        result.put("mode", found.mode().argument());
        result.put("tookMs", (System.nanoTime() - started) / 1_000_000);
        if (truncated) {
            result.put("truncated", true);
        }
        if (truncated || found.more()) {
            result.put("nextCursor", SearchCursor.after(query, found.hits().get(results.size() - 1)));
        }
        return ToolResult.structured(result);
    }

    /** The one namespace the caller named, else the workspace's and the global one. */
    private static Set<String> namespaces(Arguments arguments, ToolContext context) {
        String named = MemoryArguments.optNamespace(arguments);
        return named != null ? Set.of(named) : Set.copyOf(List.of(context.namespace(), ToolContext.GLOBAL_NAMESPACE));
    }

    /** The {@code tags} argument: distinct non-blank strings. */
    private static Set<String> tags(Arguments arguments) {
        List<Object> listed = arguments.optList("tags");
        if (listed == null) {
            return Set.of();
        }
        Set<String> tags = new java.util.LinkedHashSet<>();
        for (Object tag : listed) {
            if (!(tag instanceof String text)) {
                throw new InvalidArgumentException("tags", "must be an array of strings, got an item of type "
                        + Arguments.jsonType(tag));
            }
            if (!text.isBlank()) {
                tags.add(text);
            }
        }
        return tags;
    }

    private static Map<String, Object> describe(SearchHit hit, boolean explain) {
        Memory found = hit.memory();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", found.id());
        result.put("namespace", found.namespace());
        result.put("score", hit.fusion() != null ? round(hit.score()) : Math.round(hit.score() * 10_000) / 10_000.0);
        result.put("layer", found.layer().name());
        result.put("content", found.content());
        result.put("created_at", found.createdAt());
        result.put("updated_at", found.updatedAt());
        result.put("version", found.version());
        putIfPresent(result, "expires_at", found.expiresAt());
        putIfPresent(result, "session_id", found.sessionId());
        putIfPresent(result, "episode_id", found.episodeId());
        putIfPresent(result, "metadata", found.metadata());
        if (found.references() != null) {
            List<Map<String, Object>> docRefs = new ArrayList<>();
            for (DocRef reference : found.references()) {
                Map<String, Object> docRef = new LinkedHashMap<>();
                docRef.put("docId", reference.docId());
                putIfPresent(docRef, "chunkId", reference.chunkId());
                putIfPresent(docRef, "score", reference.score());
                docRefs.add(docRef);
            }
            result.put("docRefs", docRefs);
        }
        if (!hit.matchedTerms().isEmpty() || hit.fusion() != null) {
            Map<String, Object> why = new LinkedHashMap<>();
            why.put("matchedTerms", hit.matchedTerms());
            if (explain) {
                List<Map<String, Object>> terms = new ArrayList<>();
                for (TextHit.TermMatch match : hit.terms()) {
                    Map<String, Object> term = new LinkedHashMap<>();
                    term.put("term", match.term());
                    term.put("clause", match.clause());
                    term.put("fields", match.frequency());
                    term.put("idf", match.idf());
                    term.put("score", match.score());
                    terms.add(term);
                }
                why.put("terms", terms);
            }
            if (hit.fusion() != null) {
                why.put("fusion", fusion(hit.fusion()));
            }
            result.put("explain", why);
        }
        return result;
    }

    private static Map<String, Object> fusion(Fusion how) {
        Map<String, Object> fusion = new LinkedHashMap<>();
        fusion.put("k", (long) how.k());
        if (how.textRank() != null) {
            fusion.put("text", Map.of("rank", (long) how.textRank(), "score", round(how.textScore()),
                    "contribution", round(how.textPart())));
        }
        if (how.semanticRank() != null) {
            fusion.put("semantic", Map.of("rank", (long) how.semanticRank(), "similarity", round(how.similarity()),
                    "contribution", round(how.semanticPart())));
        }
        return fusion;
    }

    private static double round(double value) {
        return Math.round(value * 1_000_000) / 1_000_000.0;
    }

    private static void putIfPresent(Map<String, Object> map, String name, Object value) {
        if (value != null) {
            map.put(name, value);
        }
    }
}
