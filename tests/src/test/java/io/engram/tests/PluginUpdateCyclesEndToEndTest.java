package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 in-place updates of a deployed tool bundle while a client keeps calling the memory tools
 * on the same connection: no memory call fails, the plugin's tool fails only with the documented
 * unload errors while it is being swapped, and the host's heap and metaspace after a full GC stay
 * flat (old bundle revisions and their class loaders are collected).
 */
class PluginUpdateCyclesEndToEndTest {

    private static final int CYCLES = 200;
    private static final Duration UPDATE_WAIT = Duration.ofSeconds(10);
    /**
     * Growth allowed from cycle 100 to 200. One leaked revision of the example plugin keeps a class
     * loader and its 3 classes, so 100 leaked revisions exceed the loader and class bounds many times
     * over; the heap and metaspace bounds allow about 40 KB per update. Between cycles 100 and 200
     * two runs moved by 2 classes, 0 loaders, under 1 MB of metaspace and under 0.1 MB of heap.
     */
    private static final long HEAP_SLACK_KB = 4 * 1024;
    private static final long METASPACE_SLACK_KB = 4 * 1024;
    private static final int LOADER_SLACK = 10;
    private static final int CLASS_SLACK = 50;
    private static final Pattern GENERATION_USED = Pattern.compile("total \\d+K, used (\\d+)K");
    private static final Pattern METASPACE_BOTH_USED =
            Pattern.compile("Both:.*?([\\d.]+) ([KMG]?B) \\(\\s*[^)]*\\) used");
    private static final Pattern METASPACE_CLASSES = Pattern.compile("Total Usage - (\\d+) loaders, (\\d+) classes");
    /** A GC.class_histogram row: "num: instances bytes class-name" (the name may be followed by a module). */
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");

    @TempDir
    Path data;

    /**
     * Held by the memory load for each of its iterations and by {@link #measureQuiet} around a
     * measurement, so the host is measured with no call in flight and no garbage being made (fair,
     * so the measurement does not wait behind a load that re-takes it at once).
     */
    private final ReentrantLock loadGate = new ReentrantLock(true);

    /** Heap and metaspace of the host after a full GC; live bytes per class, from GC.class_histogram. */
    private record Footprint(long heapUsedKb, long metaspaceUsedKb, int loaders, int classes,
            Map<String, Long> bytesByClass) {
        @Override
        public String toString() {
            return String.format("heap %.1f MB, metaspace %.1f MB (%s)", heapUsedKb / 1024.0,
                    metaspaceUsedKb / 1024.0, loaders + " loaders, " + classes + " classes");
        }
    }

    /** The shipped config/, with the deploy folder polled every 50 ms so 200 updates fit in the test. */
    private void prepareConfig() throws IOException {
        Path shipped = Path.of("../config");
        Path config = Files.createDirectories(data.resolve("config"));
        try (Stream<Path> files = Files.list(shipped)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, config.resolve(file.getFileName().toString()));
            }
        }
        Path deployCfg = config.resolve("org.apache.felix.fileinstall-deploy.cfg");
        String text = Files.readString(deployCfg, StandardCharsets.UTF_8);
        String poll = "\nfelix.fileinstall.poll = 1000\n";
        assertTrue(text.contains(poll), "the shipped deploy config sets the poll interval");
        Files.writeString(deployCfg, text.replace(poll, "\nfelix.fileinstall.poll = 50\n"), StandardCharsets.UTF_8);
    }

    /** Writes the plugin beside its place and renames it in, with an mtime FileInstall has not seen. */
    private static void land(byte[] plugin, Path deploy, FileTime modified) throws IOException {
        Path partial = deploy.resolve(".time.jar.part");
        Files.write(partial, plugin);
        Files.setLastModifiedTime(partial, modified);
        Files.move(partial, deploy.resolve("engram.example.time.jar"),
                StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static boolean isError(JsonObject response) {
        if (response.has("error")) {
            return true;
        }
        JsonObject result = response.getAsJsonObject("result");
        return result.has("isError") && result.get("isError").getAsBoolean();
    }

    /** Counts the time_now failures the host documents for a tool being swapped; anything else fails the test. */
    private static final class TimeNowFailures {
        int unloaded;
        int unknownTool;

        void record(JsonObject response) {
            if (response.has("error")) {
                assertEquals(-32602, response.getAsJsonObject("error").get("code").getAsInt(), response.toString());
                unknownTool++;
            } else {
                assertTrue(response.toString().contains("tool time_now was unloaded"),
                        "time_now failed other than by being unloaded: " + response);
                unloaded++;
            }
        }
    }

    /** Calls time_now until it answers, counting the documented failures on the way. */
    private static void awaitTimeNow(McpProcess engram, TimeNowFailures failures) throws Exception {
        long deadline = System.nanoTime() + UPDATE_WAIT.toNanos();
        while (true) {
            JsonObject response = engram.request("tools/call",
                    Map.of("name", "time_now", "arguments", Map.of("timezone", "UTC")));
            if (!isError(response)) {
                return;
            }
            failures.record(response);
            assertTrue(System.nanoTime() < deadline, "time_now did not come back within " + UPDATE_WAIT
                    + "\n" + engram.stderr());
            Thread.sleep(5);
        }
    }

    /**
     * One update: the swap announces itself with list_changed (one notice, or two when the tool was
     * gone for longer than the host's debounce), then time_now answers again. Waiting a little
     * after that lets a second notice of the same swap arrive here rather than in the next cycle.
     */
    private static void awaitUpdate(McpProcess engram, TimeNowFailures failures) throws Exception {
        engram.awaitNotification("notifications/tools/list_changed", UPDATE_WAIT);
        awaitTimeNow(engram, failures);
        Thread.sleep(150);
        engram.notifications.clear();
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "jcmd " + command + " hung");
        assertEquals(0, process.exitValue(), "jcmd " + command + ": " + output);
        return output;
    }

    private static Footprint measure(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String heap = jcmd(pid, "GC.heap_info");
        long heapKb = 0;
        // G1 has one "total, used" line; serial and parallel collectors one per generation.
        Matcher generation = GENERATION_USED.matcher(heap);
        boolean any = false;
        while (generation.find()) {
            heapKb += Long.parseLong(generation.group(1));
            any = true;
        }
        assertTrue(any, "no heap figure in:\n" + heap);

        String metaspace = jcmd(pid, "VM.metaspace");
        Matcher used = METASPACE_BOTH_USED.matcher(metaspace);
        assertTrue(used.find(), "no metaspace figure in:\n" + metaspace);
        double amount = Double.parseDouble(used.group(1));
        long metaspaceKb = switch (used.group(2)) {
            case "B" -> (long) (amount / 1024);
            case "KB" -> (long) amount;
            case "MB" -> (long) (amount * 1024);
            default -> (long) (amount * 1024 * 1024);
        };
        Matcher classes = METASPACE_CLASSES.matcher(metaspace);
        assertTrue(classes.find(), "no class loader count in:\n" + metaspace);

        Map<String, Long> bytesByClass = new HashMap<>();
        Matcher row = HISTOGRAM_ROW.matcher(jcmd(pid, "GC.class_histogram"));
        while (row.find()) {
            bytesByClass.merge(row.group(2), Long.parseLong(row.group(1)), Long::sum);
        }
        return new Footprint(heapKb, metaspaceKb, Integer.parseInt(classes.group(1)),
                Integer.parseInt(classes.group(2)), bytesByClass);
    }

    /** {@link #measure} with the memory load paused: its last call answered, the next not yet sent. */
    private Footprint measureQuiet(long pid) throws Exception {
        loadGate.lock();
        try {
            return measure(pid);
        } finally {
            loadGate.unlock();
        }
    }

    /** The classes whose live bytes grew most from one footprint to the next. */
    private static String topGrowth(Footprint from, Footprint to) {
        return to.bytesByClass().entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - from.bytesByClass().getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .map(e -> e.getKey() + " +" + e.getValue() / 1024 + " KB")
                .collect(Collectors.joining(", "));
    }

    @Test
    void twoHundredUpdatesOfAToolBundleUnderLoadFailNoCallAndLeakNothing() throws Exception {
        prepareConfig();
        byte[] plugin = Files.readAllBytes(DeployFolderEndToEndTest.examplePlugin());
        Path deploy = data.resolve("deploy");
        long began = System.nanoTime();
        try (McpProcess engram = McpProcess.start(data)) {
            engram.initialize("2025-06-18");
            engram.result("tools/list", Map.of()); // as IDEs do: list_changed is for clients that have listed
            long pid = engram.process.pid();
            TimeNowFailures timeNowFailures = new TimeNowFailures();
            long firstModified = System.currentTimeMillis();
            land(plugin, deploy, FileTime.fromMillis(firstModified));
            awaitUpdate(engram, timeNowFailures);

            AtomicBoolean loadRunning = new AtomicBoolean(true);
            AtomicLong memoryCalls = new AtomicLong();
            List<String> memoryFailures = Collections.synchronizedList(new ArrayList<>());
            Thread load = new Thread(() -> {
                int i = 0;
                while (loadRunning.get()) {
                    loadGate.lock();
                    try {
                        JsonObject added = engram.request("tools/call", Map.of("name", "memory_add",
                                "arguments", Map.of("content", "update cycle load " + Words.of(i))));
                        JsonObject found = engram.request("tools/call", Map.of("name", "memory_search",
                                "arguments", Map.of("q", Words.of(i), "limit", 3)));
                        for (JsonObject response : List.of(added, found)) {
                            if (isError(response)) {
                                memoryFailures.add(response.toString());
                            }
                        }
                        memoryCalls.addAndGet(2);
                        i++;
                    } catch (Exception e) {
                        memoryFailures.add(e.toString());
                    } finally {
                        loadGate.unlock();
                    }
                }
            }, "memory-load");
            load.start();

            List<Footprint> footprints = new ArrayList<>();
            footprints.add(measureQuiet(pid));
            long cyclesBegan = System.nanoTime();
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                land(plugin, deploy, FileTime.fromMillis(firstModified + cycle * 1000L));
                awaitUpdate(engram, timeNowFailures);
                if (cycle % (CYCLES / 2) == 0) {
                    footprints.add(measureQuiet(pid));
                }
            }
            long cyclesMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cyclesBegan);
            loadRunning.set(false);
            load.join(TimeUnit.SECONDS.toMillis(30));

            long updatesLogged = engram.stderr().lines()
                    .filter(line -> line.contains("Updating bundle engram.example.time")).count();
            System.out.println("plugin update cycles: " + CYCLES + " in " + cyclesMs + " ms ("
                    + cyclesMs / CYCLES + " ms each, " + updatesLogged + " updates logged); memory calls "
                    + memoryCalls.get() + ", failed " + memoryFailures.size() + "; time_now failures: "
                    + timeNowFailures.unloaded + " unloaded, " + timeNowFailures.unknownTool + " unknown tool; "
                    + "after full GC: cycle 0 " + footprints.get(0) + "; cycle " + CYCLES / 2 + " "
                    + footprints.get(1) + "; cycle " + CYCLES + " " + footprints.get(2)
                    + "; grew most from cycle " + CYCLES / 2 + " to " + CYCLES + ": "
                    + topGrowth(footprints.get(1), footprints.get(2))
                    + "; test " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began) + " s");

            assertTrue(memoryFailures.isEmpty(), "memory calls failed during updates: " + memoryFailures);
            assertTrue(memoryCalls.get() > CYCLES, "the load kept calling: " + memoryCalls.get());
            assertTrue(updatesLogged >= CYCLES, "every cycle was a real bundle update: " + updatesLogged);
            Footprint half = footprints.get(1);
            Footprint end = footprints.get(2);
            // Measured with the load paused (see measureQuiet), so the figures after a full GC are
            // steady; a leak of old revisions shows in the class loader and class counts at once.
            String growth = half + " -> " + end + "; grew most: " + topGrowth(half, end);
            assertTrue(end.loaders() <= half.loaders() + LOADER_SLACK, "class loaders grow with updates: " + growth);
            assertTrue(end.classes() <= half.classes() + CLASS_SLACK, "classes grow with updates: " + growth);
            assertTrue(end.metaspaceUsedKb() <= half.metaspaceUsedKb() + METASPACE_SLACK_KB,
                    "metaspace grows with updates: " + growth);
            assertTrue(end.heapUsedKb() <= half.heapUsedKb() + HEAP_SLACK_KB, "heap grows with updates: " + growth);
            JsonObject now = engram.callToolOk("time_now", Map.of("timezone", "UTC"));
            assertEquals("UTC", now.get("timezone").getAsString());
        }
    }
}
