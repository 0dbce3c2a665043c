package io.engram.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * import and export on a real host over a temporary data folder, with engram.compat switched off in
 * config/bundles.list as shipped.
 */
class MemoryFileCommandTest {

    @TempDir
    Path temp;

    record Run(int code, String stdout, String stderr) {
    }

    private Run run(Map<String, String> env, InputStream stdin, String... args) throws Exception {
        LauncherOptions options = LauncherOptions.parse(List.of(args), Map.of(), temp);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new MemoryFileCommand(options, env, temp.resolve("project"))
                .run(stdin, out, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run run(String... args) throws Exception {
        return run(Map.of(), InputStream.nullInputStream(), args);
    }

    @Test
    void defaultNamespaceIsEngramNamespaceElseTheWorkingDirectory() {
        Path cwd = Path.of("/home/ana/app/./src/..");
        assertEquals(new MemoryFileCommand.DefaultNamespace("/home/ana/app", "the working directory"),
                MemoryFileCommand.DefaultNamespace.of(Map.of(), cwd));
        assertEquals(new MemoryFileCommand.DefaultNamespace("team", "ENGRAM_NAMESPACE"),
                MemoryFileCommand.DefaultNamespace.of(Map.of("ENGRAM_NAMESPACE", " team "), cwd));
        assertEquals("/home/ana/app",
                MemoryFileCommand.DefaultNamespace.of(Map.of("ENGRAM_NAMESPACE", " "), cwd).name(), "blank: unset");
    }

    @Test
    void importsIntoTheWorkingDirectorysNamespaceWithCompatOffAndLeavesBundlesListAsItWas() throws Exception {
        Path data = temp.resolve("data");
        Path file = Files.createDirectories(temp.resolve("project")).resolve("memory.jsonl");
        Files.writeString(file, """
                {"type":"entity","name":"Ana","entityType":"person","observations":["likes tea"]}
                {"type":"entity","name":
                {"type":"relation","from":"Ana","to":"Bob","relationType":"knows"}
                {"type":"entity","name":"Bob","entityType":"person","observations":[]}""", StandardCharsets.UTF_8);

        // relative to the working directory, as a user types it
        Run imported = run("import", "memory.jsonl", "--data", data.toString());

        assertEquals(0, imported.code(), imported.stderr());
        String namespace = temp.resolve("project").toString();
        assertTrue(imported.stdout().startsWith("Imported " + file + " (jsonl) into namespace " + namespace
                + " (from the working directory)\n"), imported.stdout());
        assertTrue(imported.stdout().contains("  entities created:     2\n"), imported.stdout());
        assertTrue(imported.stdout().contains("  relations created:    1\n"), imported.stdout());
        assertTrue(imported.stdout().contains("  records not readable: 1\n    line 2: "), imported.stdout());
        String list = Files.readString(data.resolve("config").resolve(BundleList.FILE_NAME), StandardCharsets.UTF_8);
        assertTrue(list.contains("\n# engram.compat\n"), "the admin's switch stays off:\n" + list);
        assertFalse(Files.exists(data.resolve(RuntimeFolder.SLOTS_FOLDER)),
                "with a bundle beyond the list the host keeps out of the cache slots, which IDE hosts then reuse");
        try (var left = Files.list(data.resolve(RuntimeFolder.RUN_FOLDER))) {
            assertEquals(0, left.count(), "its private folder is removed");
        }

        Path out = temp.resolve("out/exported.jsonl");
        Run exported = run(Map.of("ENGRAM_NAMESPACE", namespace), InputStream.nullInputStream(),
                "export", out.toString(), "--data", data.toString());

        assertEquals(0, exported.code(), exported.stderr());
        assertEquals("Exported namespace " + namespace + " (from ENGRAM_NAMESPACE) to " + out
                + ": 2 entities, 1 relations\n", exported.stdout());
        assertEquals(Set.of(
                "{\"type\":\"entity\",\"name\":\"Ana\",\"entityType\":\"person\",\"observations\":[\"likes tea\"]}",
                "{\"type\":\"entity\",\"name\":\"Bob\",\"entityType\":\"person\",\"observations\":[]}",
                "{\"type\":\"relation\",\"from\":\"Ana\",\"to\":\"Bob\",\"relationType\":\"knows\"}"),
                Set.copyOf(Files.readAllLines(out, StandardCharsets.UTF_8)));
    }

    @Test
    void stdinInAndStdoutOutWithTheSummaryOnStderr() throws Exception {
        Path data = temp.resolve("data");
        String line = "{\"type\":\"entity\",\"name\":\"Cy\",\"entityType\":\"robot\",\"observations\":[\"beeps\"]}";
        Run imported = run(Map.of(), new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)),
                "import", "-", "--namespace", "global", "--data", data.toString());
        assertEquals(0, imported.code(), imported.stderr());
        assertTrue(imported.stdout().startsWith("Imported stdin (jsonl) into namespace global\n"), imported.stdout());

        Run exported = run("export", "-", "--namespace", "global", "--data", data.toString());

        assertEquals(0, exported.code(), exported.stderr());
        assertEquals(line, exported.stdout(), "stdout holds the file alone");
        assertTrue(exported.stderr().contains("Exported namespace global to stdout: 1 entities, 0 relations"),
                exported.stderr());
    }

    @Test
    void aMissingFileOrABadNamespaceFailsWithAMessage() throws Exception {
        Path data = temp.resolve("data");
        Run missing = run("import", temp.resolve("nowhere.jsonl").toString(), "--data", data.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.stderr().startsWith("engram: no file at " + temp.resolve("nowhere.jsonl")),
                missing.stderr());
        assertEquals("", missing.stdout());

        Path file = Files.writeString(temp.resolve("m.jsonl"), "", StandardCharsets.UTF_8);
        Run badNamespace = run("import", file.toString(), "--namespace", "a\tb", "--data", data.toString());
        assertEquals(1, badNamespace.code());
        assertEquals("engram: import failed: invalid argument 'namespace': namespace must not contain control"
                + " characters (found U+0009)\n", badNamespace.stderr());
        assertEquals("", badNamespace.stdout());
    }
}
