package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options an admin or IDE config passes on the command line. */
class CommandLineEndToEndTest {

    @TempDir
    Path temp;

    record Run(int code, String stdout, String stderr) {
    }

    static Run run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(McpProcess.javaBin(), "-jar", McpProcess.jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not exit: " + command);
        }
        return new Run(process.exitValue(), read(process.getInputStream()), read(process.getErrorStream()));
    }

    private static String read(java.io.InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void helpDescribesTheOptions() throws Exception {
        Run run = run(Map.of(), "--help");
        assertEquals(0, run.code());
        for (String option : List.of("--data", "--config", "--version", "ENGRAM_LOG")) {
            assertTrue(run.stdout().contains(option), option + " in help:\n" + run.stdout());
        }
    }

    @Test
    void versionPrintsTheVersion() throws Exception {
        Run run = run(Map.of(), "--version");
        assertEquals(0, run.code());
        assertTrue(run.stdout().matches("engram \\d+\\.\\d+\\.\\d+.*\\R"), run.stdout());
    }

    @Test
    void unknownOptionExitsWithCode2AndSaysWhich() throws Exception {
        Run run = run(Map.of(), "--frobnicate");
        assertEquals(2, run.code());
        assertTrue(run.stderr().contains("unknown option: --frobnicate"), run.stderr());
        assertEquals("", run.stdout(), "nothing on stdout");
    }

    @Test
    void dataFolderComesFromEngramDataAndHoldsConfigAndStore() throws Exception {
        Path data = temp.resolve("from-env");
        try (McpProcess engram = McpProcess.start(null, Map.of("ENGRAM_DATA", data.toString()))) {
            engram.initialize("2025-06-18");
            engram.callToolOk("memory_add", Map.of("content", "stored under ENGRAM_DATA"));
            assertEquals(0, engram.closeStdinAndWait(java.time.Duration.ofSeconds(5)), engram.stderr());
        }
        assertTrue(Files.isRegularFile(data.resolve("config/bundles.list")), "default config created");
        assertTrue(Files.isRegularFile(data.resolve("config/engram.storage.cfg")));
        assertTrue(Files.isDirectory(data.resolve("store")), "store created in the data folder");
        try (var left = Files.list(data.resolve("run"))) {
            assertEquals(0, left.count(), "the private runtime folder is removed on exit");
        }
    }

    @Test
    void configFolderOptionIsUsedAsIs() throws Exception {
        Path config = temp.resolve("admin-config");
        Run first = run(Map.of(), "--data", temp.resolve("d").toString(), "--config", config.toString());
        assertEquals(0, first.code(), first.stderr());
        assertTrue(Files.isRegularFile(config.resolve("engram.memory.cfg")));
        assertTrue(first.stderr().contains(config.toString()), first.stderr());
    }
}
