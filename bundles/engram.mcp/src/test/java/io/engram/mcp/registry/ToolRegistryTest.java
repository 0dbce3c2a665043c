package io.engram.mcp.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ToolRegistryTest {

    private static final String OBJECT = "{\"type\":\"object\"}";

    private final List<LogRecord> warnings = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                synchronized (warnings) {
                    warnings.add(record);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger registryLog = Logger.getLogger(ToolRegistry.class.getName());
    private ToolRegistry registry;

    @BeforeEach
    void start() {
        registryLog.addHandler(capture);
        registry = new ToolRegistry(List::of);
    }

    @AfterEach
    void stop() {
        registry.close();
        registryLog.removeHandler(capture);
    }

    /** A real tool that answers with its own label, so tests can tell same-named tools apart. */
    private record LabelledTool(String name, String label, String inputSchema, String outputSchema) implements Tool {

        LabelledTool(String name, String label) {
            this(name, label, OBJECT, null);
        }

        @Override
        public String description() {
            return "tool " + label;
        }

        @Override
        public ToolResult call(Arguments arguments, ToolContext context) {
            return ToolResult.text(label);
        }
    }

    private static ToolOrigin origin(long serviceId, int ranking, String bundle) {
        return new ToolOrigin(serviceId, ranking, bundle);
    }

    private List<String> listedNames() {
        return registry.tools().stream().map(ToolDescriptor::name).toList();
    }

    private String lastWarning() {
        synchronized (warnings) {
            return warnings.get(warnings.size() - 1).getMessage();
        }
    }

    @Test
    void namesMustBePortable() {
        List<String> good = List.of("memory_add", "a", "Graph-Query_2", "x".repeat(64));
        List<String> bad = List.of("memory.add", "memory add", "", "x".repeat(65), "mémoire");
        long id = 0;
        for (String name : good) {
            registry.add(new LabelledTool(name, name), origin(++id, 0, "good.bundle"));
        }
        for (String name : bad) {
            registry.add(new LabelledTool(name, name), origin(++id, 0, "bad.bundle"));
            assertTrue(lastWarning().contains("bad.bundle"), lastWarning());
            assertTrue(lastWarning().contains("does not match"), lastWarning());
        }
        assertEquals(good.stream().sorted().toList(), listedNames());
        assertEquals(bad.size(), warnings.size());
    }

    @Test
    void schemasOutsideThePortableSubsetAreRejected() {
        List<String> badInputs = List.of(
                "not json",
                "[]",
                "{\"type\":\"string\"}",
                "{\"properties\":{}}",
                "{\"type\":\"object\",\"additionalProperties\":false}",
                "{\"type\":\"object\",\"properties\":{\"a\":{\"anyOf\":[{\"type\":\"string\"}]}}}",
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"array\",\"items\":{\"type\":\"string\","
                        + "\"format\":\"uri\"}}}}",
                "{\"type\":\"object\",\"required\":\"a\"}",
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"date\"}}}",
                "{'type':'object'}");
        long id = 0;
        for (String schema : badInputs) {
            registry.add(new LabelledTool("bad_input", schema, schema, null), origin(++id, 0, "plugin.bundle"));
            assertTrue(lastWarning().contains("plugin.bundle") && lastWarning().contains("input schema"),
                    schema + " -> " + lastWarning());
        }
        registry.add(new LabelledTool("bad_output", "x", OBJECT, "{\"type\":\"object\",\"$schema\":\"x\"}"),
                origin(++id, 0, "plugin.bundle"));
        assertTrue(lastWarning().contains("output schema") && lastWarning().contains("$schema"), lastWarning());
        assertEquals(List.of(), listedNames());

        registry.add(new LabelledTool("good_tool", "x", """
                {"type":"object","title":"t","description":"d","properties":{
                  "a":{"type":"array","items":{"type":"integer","minimum":0,"maximum":9},"default":[]},
                  "b":{"type":"string","enum":["x","y"]},
                  "c":{"type":"object","properties":{"d":{"type":"boolean"}},"required":["d"]}},
                "required":["a"]}""", OBJECT), origin(++id, 0, "plugin.bundle"));
        assertEquals(List.of("good_tool"), listedNames());
    }

    @Test
    void higherRankingWinsANameClashWhateverTheOrder() {
        registry.add(new LabelledTool("memory_add", "low"), origin(1, 0, "old.bundle"));
        registry.add(new LabelledTool("memory_add", "high"), origin(2, 10, "new.bundle"));
        assertEquals("tool high", registry.find("memory_add").orElseThrow().description());
        assertTrue(lastWarning().contains("old.bundle") && lastWarning().contains("new.bundle"), lastWarning());

        registry.add(new LabelledTool("memory_add", "middle"), origin(3, 5, "third.bundle"));
        assertEquals("tool high", registry.find("memory_add").orElseThrow().description());

        registry.remove(2);
        assertEquals("tool middle", registry.find("memory_add").orElseThrow().description());
        registry.remove(3);
        assertEquals("tool low", registry.find("memory_add").orElseThrow().description());
        registry.remove(1);
        assertTrue(registry.find("memory_add").isEmpty());
    }

    @Test
    void equalRankingKeepsTheOlderService() {
        registry.add(new LabelledTool("memory_add", "newer"), origin(9, 0, "b.bundle"));
        registry.add(new LabelledTool("memory_add", "older"), origin(4, 0, "a.bundle"));
        assertEquals("tool older", registry.find("memory_add").orElseThrow().description());
        assertEquals(1, registry.tools().size());
    }

    @Test
    void dottedAliasFindsTheCanonicalName() {
        registry.add(new LabelledTool("document_refs_for_memory", "refs"), origin(1, 0, "docs"));
        ToolDescriptor canonical = registry.find("document_refs_for_memory").orElseThrow();
        assertSame(canonical, registry.find("document.refs_for_memory").orElseThrow());
        assertTrue(registry.find("document.refs.for_memory").isEmpty());
        assertTrue(registry.find("document_refs.for_memory").isEmpty());
        assertEquals(List.of("document_refs_for_memory"), listedNames());
    }

    @Test
    void aBurstOfChangesIsAnnouncedOnce() throws Exception {
        Semaphore notices = new Semaphore(0);
        registry.addChangeListener(notices::release);
        for (int i = 0; i < 10; i++) {
            registry.add(new LabelledTool("tool_" + i, "t" + i), origin(i, 0, "burst.bundle"));
        }
        assertTrue(notices.tryAcquire(2, TimeUnit.SECONDS));
        assertFalse(notices.tryAcquire(300, TimeUnit.MILLISECONDS), "one notice for the burst");

        registry.remove(3);
        assertTrue(notices.tryAcquire(2, TimeUnit.SECONDS), "a later change is announced again");

        registry.add(new LabelledTool("tool_1", "shadowed"), origin(100, -5, "other.bundle"));
        assertFalse(notices.tryAcquire(300, TimeUnit.MILLISECONDS), "a shadowed tool changes nothing listed");
    }

    @Test
    void theFirstListingWaitsForStartupWithinItsBound() throws Exception {
        long settledAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        ToolRegistry starting = new ToolRegistry(
                () -> System.nanoTime() < settledAt ? List.of("component x") : List.of());
        try {
            long start = System.nanoTime();
            assertTrue(starting.awaitStartup(Duration.ofSeconds(5)));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waitedMs >= 150 && waitedMs < 2000, "waited " + waitedMs + " ms");
        } finally {
            starting.close();
        }

        ToolRegistry stuck = new ToolRegistry(() -> List.of("component y of bundle z (unsatisfied reference)"));
        try {
            long start = System.nanoTime();
            assertFalse(stuck.awaitStartup(Duration.ofMillis(150)));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waitedMs >= 140 && waitedMs < 2000, "waited " + waitedMs + " ms");
            assertTrue(lastWarning().contains("component y"), lastWarning());
            start = System.nanoTime();
            assertTrue(stuck.awaitStartup(Duration.ofSeconds(5)), "only the first listing waits");
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(100));
        } finally {
            stuck.close();
        }
    }

    @Test
    void callsInFlightAreCountedPerTool() {
        registry.add(new LabelledTool("memory_add", "a"), origin(1, 0, "m"));
        ToolDescriptor tool = registry.find("memory_add").orElseThrow();
        CountedCall first = new CountedCall(Duration.ZERO);
        CountedCall second = new CountedCall(Duration.ZERO);
        assertTrue(registry.callStarted(tool, first));
        assertTrue(registry.callStarted(tool, second));
        assertEquals(2, registry.callsInFlight("memory_add"));
        registry.callFinished(tool, first);
        assertEquals(1, registry.callsInFlight("memory_add"));
        assertEquals(0, registry.callsInFlight("memory_search"));
    }

    @Test
    void removingAToolUnloadsTheCallsThatOutlastTheDrainAndRefusesNewOnes() {
        registry.add(new LabelledTool("memory_add", "a"), origin(1, 0, "m"));
        ToolDescriptor tool = registry.find("memory_add").orElseThrow();
        CountedCall running = new CountedCall(Duration.ofMillis(100));
        CountedCall finished = new CountedCall(Duration.ofMillis(100));
        assertTrue(registry.callStarted(tool, running));
        assertTrue(registry.callStarted(tool, finished));
        registry.callFinished(tool, finished);

        long start = System.nanoTime();
        registry.remove(1);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs >= 90 && tookMs < 1000, "removal waited for the drain, and no longer: " + tookMs + " ms");
        assertEquals(1, running.unloads);
        assertEquals(0, finished.unloads);
        assertFalse(registry.callStarted(tool, new CountedCall(Duration.ZERO)), "a removed tool runs no new call");
    }

    @Test
    void removingAToolWithoutRunningCallsDoesNotWait() {
        registry.add(new LabelledTool("memory_add", "a"), origin(1, 0, "m"));
        long start = System.nanoTime();
        registry.remove(1);
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(100));
        assertTrue(registry.find("memory_add").isEmpty());
    }

    /** A running call that counts how often it was unloaded. */
    private static final class CountedCall implements RunningCall {
        private final Duration drain;
        private volatile int unloads;

        CountedCall(Duration drain) {
            this.drain = drain;
        }

        @Override
        public Duration unloadDrain() {
            return drain;
        }

        @Override
        public synchronized void unloaded() {
            unloads++;
        }
    }
}
