package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar engram.jar import FILE} and {@code export FILE}: the reference memory server's
 * memory.jsonl in and out of a namespace from the command line, on the real jar, with engram.compat
 * switched off in bundles.list as shipped, and next to an IDE's host serving the same data folder.
 */
class CommandLineImportExportEndToEndTest {

    private static final int ENTITIES = 200;
    private static final int RELATIONS = 150;
    /** Where the generated file has a record cut short. */
    private static final int MALFORMED_LINE = 57;

    @TempDir
    Path temp;

    record Run(int code, String stdout, String stderr) {
    }

    /** The jar as a user runs it from a terminal in {@code workingDirectory}. */
    private static Run run(Path workingDirectory, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(McpProcess.javaBin(), "-jar",
                McpProcess.jar().toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().remove("ENGRAM_NAMESPACE");
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> stdout = readAsync(process.getInputStream());
        CompletableFuture<String> stderr = readAsync(process.getErrorStream());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not exit: " + command + "\n" + stderr.getNow(""));
        }
        return new Run(process.exitValue(), stdout.get(10, TimeUnit.SECONDS), stderr.get(10, TimeUnit.SECONDS));
    }

    private Run run(String... args) throws Exception {
        return run(temp, Map.of(), args);
    }

    private static CompletableFuture<String> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        });
    }

    /** A memory.jsonl as the reference server writes it, with one record cut short at {@link #MALFORMED_LINE}. */
    private static List<String> referenceLines() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < ENTITIES; i++) {
            lines.add(String.format("{\"type\":\"entity\",\"name\":\"Entity-%03d\",\"entityType\":\"%s\","
                    + "\"observations\":[\"fact %d\",\"note about \\\"%d\\\" ü\"]}", i,
                    i % 2 == 0 ? "person" : "project", i, i));
        }
        for (int i = 0; i < RELATIONS; i++) {
            lines.add(String.format("{\"type\":\"relation\",\"from\":\"Entity-%03d\",\"to\":\"Entity-%03d\","
                    + "\"relationType\":\"works_on\"}", i, (i * 7 + 1) % ENTITIES));
        }
        return lines;
    }

    private static Path writeWithMalformedLine(Path file, List<String> lines) throws IOException {
        List<String> written = new ArrayList<>(lines);
        written.add(MALFORMED_LINE - 1, "{\"type\":\"entity\",\"name\":\"Half-written");
        Files.createDirectories(file.getParent());
        // the reference joins lines by \n without a trailing one
        return Files.writeString(file, String.join("\n", written), StandardCharsets.UTF_8);
    }

    private static void assertLine(String report, String line) {
        assertTrue(report.lines().anyMatch(line::equals), "a line '" + line + "' in:\n" + report);
    }

    private static Set<String> lines(String text) {
        return new HashSet<>(text.lines().filter(line -> !line.isBlank()).toList());
    }

    @Test
    void importReportsCountsAndTheMalformedLineIsIdempotentAndExportGivesTheSameGraph() throws Exception {
        Path data = temp.resolve("data");
        Path project = Files.createDirectories(temp.resolve("project"));
        List<String> original = referenceLines();
        writeWithMalformedLine(project.resolve("memory.jsonl"), original);

        // From the project folder, without --namespace: the namespace an IDE session started there gets.
        Run first = run(project, Map.of(), "import", "memory.jsonl", "--data", data.toString());

        assertEquals(0, first.code(), "a malformed line does not fail the import:\n" + first.stderr());
        assertLine(first.stdout(), "Imported " + project.resolve("memory.jsonl") + " (jsonl) into namespace " + project
                + " (from the working directory)");
        assertLine(first.stdout(), "  records merged:       " + (ENTITIES + RELATIONS));
        assertLine(first.stdout(), "  entities created:     " + ENTITIES);
        assertLine(first.stdout(), "  observations added:   " + 2 * ENTITIES);
        assertLine(first.stdout(), "  relations created:    " + RELATIONS);
        assertLine(first.stdout(), "  records not readable: 1");
        assertTrue(first.stdout().contains("    line " + MALFORMED_LINE + ": "), first.stdout());
        assertFalse(first.stdout().contains("INFO"), "logs stay on stderr:\n" + first.stdout());
        assertTrue(first.stderr().contains("engram.compat is off in config/bundles.list; started for this run only"),
                first.stderr());
        String list = Files.readString(data.resolve("config/bundles.list"), StandardCharsets.UTF_8);
        assertTrue(list.contains("\n# engram.compat\n"), "the admin's bundles.list is left as it was:\n" + list);

        Run again = run(project, Map.of(), "import", "memory.jsonl", "--data", data.toString());

        assertEquals(0, again.code(), again.stderr());
        assertLine(again.stdout(), "  entities created:     0");
        assertLine(again.stdout(), "  observations added:   0");
        assertLine(again.stdout(), "  relations created:    0");

        // ENGRAM_NAMESPACE names the same namespace from elsewhere; the file goes to stdout, the summary to stderr.
        Run exported = run(temp, Map.of("ENGRAM_NAMESPACE", project.toString()), "export", "-",
                "--data", data.toString());

        assertEquals(0, exported.code(), exported.stderr());
        assertEquals(new HashSet<>(original), lines(exported.stdout()), "the same graph, the file alone on stdout");
        assertTrue(exported.stderr().contains("Exported namespace " + project + " (from ENGRAM_NAMESPACE) to stdout: "
                + ENTITIES + " entities, " + RELATIONS + " relations"), exported.stderr());

        // and back through a file into another namespace: still the same graph
        Path file = temp.resolve("out/memory.jsonl");
        Files.writeString(temp.resolve("roundtrip.jsonl"), exported.stdout(), StandardCharsets.UTF_8);
        assertEquals(0, run("import", "roundtrip.jsonl", "--namespace", "copy", "--data", data.toString()).code());
        Run copied = run("export", "out/memory.jsonl", "--namespace", "copy", "--data", data.toString());
        assertEquals(0, copied.code(), copied.stderr());
        assertLine(copied.stdout(), "Exported namespace copy to " + file + ": " + ENTITIES + " entities, " + RELATIONS
                + " relations");
        assertEquals(new HashSet<>(original), lines(Files.readString(file, StandardCharsets.UTF_8)));
    }

    @Test
    void importsWhileAnIdeHostServesTheDataFolderAndThatHostSeesTheEntities() throws Exception {
        Path data = temp.resolve("data");
        try (McpProcess layout = McpProcess.start(data)) {
            layout.initialize("2025-11-25");
        }
        CompatEndToEndTest.enableCompat(data);
        Path file = writeWithMalformedLine(temp.resolve("memory.jsonl"), referenceLines());

        try (McpProcess ide = McpProcess.start(data)) {
            ide.initialize("2025-11-25");
            ide.callToolOk("create_entities", Map.of("namespace", "shared", "entities", List.of(Map.of(
                    "name", "Made-by-the-IDE", "entityType", "note", "observations", List.of("before the import")))));

            Run imported = run("import", file.toString(), "--namespace", "shared", "--data", data.toString());

            assertEquals(0, imported.code(), imported.stderr());
            assertLine(imported.stdout(), "  entities created:     " + ENTITIES);
            JsonObject opened = ide.callToolOk("open_nodes", Map.of("namespace", "shared",
                    "names", List.of("Entity-000", "Entity-199", "Made-by-the-IDE")));
            Set<String> names = new HashSet<>();
            for (JsonElement entity : opened.getAsJsonArray("entities")) {
                names.add(entity.getAsJsonObject().get("name").getAsString());
            }
            assertEquals(Set.of("Entity-000", "Entity-199", "Made-by-the-IDE"), names, opened.toString());

            Run exported = run("export", "-", "--namespace", "shared", "--data", data.toString());

            assertEquals(0, exported.code(), exported.stderr());
            assertTrue(lines(exported.stdout()).contains("{\"type\":\"entity\",\"name\":\"Made-by-the-IDE\","
                    + "\"entityType\":\"note\",\"observations\":[\"before the import\"]}"), exported.stdout());
            assertEquals(ENTITIES + 1 + RELATIONS, lines(exported.stdout()).size());
            assertTrue(ide.process.isAlive(), "the IDE's host still serves");
            ide.callToolOk("memory_add", Map.of("content", "written after the command-line import"));
        }
    }

    @Test
    void legacyMemoryJsonImportsAsTheSameLinesAndAOneObjectFileToo() throws Exception {
        Path data = temp.resolve("data");
        Path legacy = Files.writeString(temp.resolve("memory.json"), String.join("\n",
                "{\"type\":\"entity\",\"name\":\"Old\",\"entityType\":\"thing\","
                        + "\"observations\":[\"from memory.json\"]}",
                "{\"type\":\"relation\",\"from\":\"Old\",\"to\":\"Older\",\"relationType\":\"follows\"}"),
                StandardCharsets.UTF_8);

        Run imported = run("import", "memory.json", "--namespace", "legacy", "--data", data.toString());

        assertEquals(0, imported.code(), imported.stderr());
        assertLine(imported.stdout(), "Imported " + legacy + " (jsonl) into namespace legacy");
        assertLine(imported.stdout(), "  entities created:     1");
        assertLine(imported.stdout(), "  relations created:    1");
        assertLine(imported.stdout(), "  records not readable: 0");

        Files.writeString(temp.resolve("graph.json"), """
                {"entities": [{"name": "Whole", "entityType": "thing", "observations": []}, {"name": 7}],
                 "relations": [{"from": "Whole", "to": "Old", "relationType": "follows"}]}""", StandardCharsets.UTF_8);
        Run whole = run("import", "graph.json", "--namespace", "legacy", "--data", data.toString());
        assertEquals(0, whole.code(), whole.stderr());
        assertLine(whole.stdout(), "  entities created:     1");
        assertLine(whole.stdout(), "  records not readable: 1");
        assertTrue(whole.stdout().contains("    entities[1]: "), whole.stdout());
    }

    @Test
    void aMissingFileExitsNonZeroWithAClearMessage() throws Exception {
        Run missing = run("import", "nowhere/memory.jsonl", "--data", temp.resolve("data").toString());

        assertEquals(1, missing.code());
        assertTrue(missing.stderr().startsWith("engram: no file at " + temp.resolve("nowhere/memory.jsonl")),
                missing.stderr());
        assertEquals("", missing.stdout());

        Run noFile = run("export", "--data", temp.resolve("data").toString());
        assertEquals(2, noFile.code());
        assertTrue(noFile.stderr().contains("export needs a file"), noFile.stderr());
    }

    @Test
    void aStoreLockedPastTheWaitFailsWithTheReason() throws Exception {
        Path data = temp.resolve("data");
        Path file = Files.writeString(temp.resolve("memory.jsonl"),
                "{\"type\":\"entity\",\"name\":\"A\",\"entityType\":\"t\",\"observations\":[]}",
                StandardCharsets.UTF_8);
        assertEquals(0, run("import", file.toString(), "--namespace", "n", "--data", data.toString()).code());
        Path storageConfig = data.resolve("config/engram.storage.cfg");
        String config = Files.readString(storageConfig);
        assertTrue(config.contains("callWaitMs = 5000"), config);
        Files.writeString(storageConfig, config.replace("callWaitMs = 5000", "callWaitMs = 300"));

        Process holder = HeldLockEndToEndTest.startLockHolder(data.resolve("store/lock.mdb"));
        try {
            BufferedReader holderOut = new BufferedReader(
                    new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", holderOut.readLine());

            Run locked = run("import", file.toString(), "--namespace", "n", "--data", data.toString());

            assertEquals(1, locked.code(), locked.stderr());
            assertTrue(locked.stderr().contains("engram: import failed: storage unavailable: "), locked.stderr());
            assertTrue(locked.stderr().contains("'java -jar engram.jar status' names the processes"), locked.stderr());
            assertEquals("", locked.stdout());
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void helpListsImportAndExport() throws Exception {
        Run help = run("--help");
        assertEquals(0, help.code());
        for (String text : List.of("import FILE", "export FILE", "--namespace NS")) {
            assertTrue(help.stdout().contains(text), text + " in:\n" + help.stdout());
        }
    }
}
