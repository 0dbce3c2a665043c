package io.engram.system;

import io.engram.api.status.StatusContributor;
import io.engram.api.store.StoreStatus;
import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code system_status}: uptime, storage state and figures, and every section the
 * {@link StatusContributor} services add (call metrics, memory counts, ...). It answers
 * whatever state storage is in, and says "degraded" when storage is not open or a section
 * reports a problem.
 */
@Component(service = Tool.class)
public class SystemStatusTool extends AbstractTool {

    /** Top-level keys this tool fills itself; a contributor cannot take them. */
    private static final Set<String> OWN_KEYS = Set.of("uptime_ms", "health", "problems", "namespace", "storage");

    private static final String INPUT_SCHEMA = """
            {"type": "object", "properties": {}}
            """;

    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "uptime_ms": {"type": "integer", "description": "How long this Engram process has been running."},
                "namespace": {
                  "type": "string",
                  "description": "This session's workspace namespace: where new memories and entities go by default."
                },
                "health": {
                  "type": "string",
                  "enum": ["ok", "degraded"],
                  "description": "degraded when storage is not open or a section reports a problem."
                },
                "problems": {
                  "type": "array",
                  "items": {"type": "string"},
                  "description": "Why health is degraded; absent when it is ok."
                },
                "storage": {
                  "type": "object",
                  "description": "The store. Sizes and counts are present only while it is open.",
                  "properties": {
                    "path": {"type": "string", "description": "The store's folder; empty when the storage bundle is not running."},
                    "state": {
                      "type": "string",
                      "enum": ["opening", "open", "unavailable"],
                      "description": "opening: still opening or retrying a locked store; open: serving; unavailable: failed to open, closing or not running."
                    },
                    "detail": {"type": "string", "description": "Why it is not open: the last open error."},
                    "disk_bytes": {"type": "integer", "description": "Size of the database file on disk."},
                    "map_bytes": {"type": "integer", "description": "Address space reserved for the database (grows when full)."},
                    "used_bytes": {"type": "integer", "description": "Bytes of the map in use."},
                    "readers_used": {"type": "integer", "description": "Reader slots in use, by all processes."},
                    "max_readers": {"type": "integer", "description": "Reader slots available."},
                    "processes": {
                      "type": "array",
                      "items": {"type": "integer"},
                      "description": "PIDs of the processes that have the store open, this one included."
                    },
                    "commits": {"type": "integer", "description": "Durable commits by this process since the store opened."},
                    "keyspaces": {"type": "object", "description": "Entry count per keyspace, e.g. {\\"memory.records\\": 120}."}
                  },
                  "required": ["path", "state"]
                },
                "metrics": {
                  "type": "object",
                  "description": "tools/call statistics of this server since it started.",
                  "properties": {
                    "count": {"type": "integer", "description": "Calls answered."},
                    "errors": {"type": "integer", "description": "Calls answered with an error result or a protocol error."},
                    "avgMs": {"type": "number", "description": "Average latency of all calls."},
                    "lastMs": {"type": "number", "description": "Latency of the last call."},
                    "p50Ms": {"type": "number", "description": "Median latency over the last 1,024 calls."},
                    "p95Ms": {"type": "number", "description": "95th percentile latency over the last 1,024 calls."},
                    "qps1m": {"type": "number", "description": "Calls per second over the last minute."},
                    "tools": {"type": "object", "description": "Per tool name: {count, errors, p50Ms}."}
                  }
                },
                "memory": {
                  "type": "object",
                  "properties": {
                    "rss_mb": {"type": "number", "description": "Resident memory of this process in MiB (Linux only)."},
                    "stm_count": {"type": "integer", "description": "Visible short-term memories (absent while storage is not open)."},
                    "ltm_count": {"type": "integer", "description": "Long-term memories (absent while storage is not open)."}
                  }
                },
                "graph": {
                  "type": "object",
                  "description": "The knowledge graph, all namespaces (absent without engram.kg; empty while storage is not open).",
                  "properties": {
                    "nodes": {"type": "integer", "description": "Entities, documents, memories and episodes in the graph."},
                    "edges": {"type": "integer", "description": "Relations between them."}
                  }
                }
              },
              "required": ["uptime_ms", "health", "namespace", "storage", "memory"]
            }
            """;

    private static final String DESCRIPTION =
            "Report the health of this Engram server: uptime, this session's workspace namespace, the store (path, open state and last open error,"
            + " size on disk, map size and use, entries per keyspace, reader slots and the processes using it),"
            + " call latency and counts, process memory, the number of short- and long-term memories and the"
            + " knowledge graph's nodes and edges."
            + " health is \"degraded\" when storage is not open or a part reports a problem; problems says why."
            + " Answers even while storage is unavailable.";

    private static final Logger LOG = Logger.getLogger(SystemStatusTool.class.getName());

    private final StorageAccess storage;
    private final List<StatusContributor> contributors = new CopyOnWriteArrayList<>();

    @Activate
    public SystemStatusTool(@Reference(name = "storage") StorageAccess storage) {
        super("system_status", "Server status", DESCRIPTION, INPUT_SCHEMA, OUTPUT_SCHEMA, ToolAnnotations.readOnly());
        this.storage = storage;
    }

    @Reference(name = "contributor", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addContributor(StatusContributor contributor) {
        if (OWN_KEYS.contains(contributor.section())) {
            LOG.warning("Ignoring the status section '" + contributor.section() + "' of " + contributor.getClass()
                    .getName() + ": system_status fills that key itself");
            return;
        }
        contributors.add(contributor);
    }

    void removeContributor(StatusContributor contributor) {
        contributors.remove(contributor);
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("uptime_ms", ManagementFactory.getRuntimeMXBean().getUptime());
        status.put("health", "ok");
        status.put("namespace", context.namespace());
        status.put("storage", storage(storage.storeStatus(), problems));
        Map<String, Object> memory = new LinkedHashMap<>();
        Double rssMb = ResidentMemory.megabytes(ResidentMemory.PROC_SELF_STATUS);
        if (rssMb != null) {
            memory.put("rss_mb", rssMb);
        }
        status.put("memory", memory);
        addSections(status, problems);
        if (!problems.isEmpty()) {
            status.put("health", "degraded");
            status.put("problems", problems);
        }
        return ToolResult.structured(status);
    }

    private static Map<String, Object> storage(StoreStatus store, List<String> problems) {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("path", store.path());
        section.put("state", store.state().name().toLowerCase(Locale.ROOT));
        if (store.detail() != null) {
            section.put("detail", store.detail());
        }
        if (store.state() != StoreStatus.State.OPEN) {
            problems.add("storage is " + store.state().name().toLowerCase(Locale.ROOT)
                    + (store.detail() != null ? ": " + store.detail() : ""));
            return section;
        }
        section.put("disk_bytes", store.diskBytes());
        section.put("map_bytes", store.mapSize());
        section.put("used_bytes", store.usedBytes());
        section.put("readers_used", (long) store.readersUsed());
        section.put("max_readers", (long) store.maxReaders());
        section.put("processes", List.copyOf(store.processIds()));
        section.put("commits", store.commits());
        section.put("keyspaces", new TreeMap<>(store.entries()));
        return section;
    }

    /** Merges each contributor's section into the status, key by key; sections of one name share one object. */
    private void addSections(Map<String, Object> status, List<String> problems) {
        List<StatusContributor> bySection = new ArrayList<>(contributors);
        bySection.sort(Comparator.comparing(StatusContributor::section));
        for (StatusContributor contributor : bySection) {
            String section = contributor.section();
            try {
                Map<String, Object> content = contributor.status();
                @SuppressWarnings("unchecked")
                Map<String, Object> merged = (Map<String, Object>) status.computeIfAbsent(section,
                        key -> new LinkedHashMap<String, Object>());
                merged.putAll(content);
                if (contributor.degraded()) {
                    problems.add(section + " reports a problem");
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Status section '" + section + "' failed", e);
                problems.add(section + " could not report: " + e);
            }
        }
    }
}
