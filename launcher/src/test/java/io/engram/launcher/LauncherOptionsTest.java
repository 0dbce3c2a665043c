package io.engram.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** Options beat environment variables, which beat defaults; bad input says what is wrong. */
class LauncherOptionsTest {

    private static final Path HOME = Path.of("/home/me");

    private static LauncherOptions parse(Map<String, String> env, String... args) throws Exception {
        return LauncherOptions.parse(List.of(args), env, HOME);
    }

    @Test
    void defaultsToDotEngramInTheUsersHome() throws Exception {
        LauncherOptions options = parse(Map.of());
        assertEquals(Path.of("/home/me/.engram"), options.dataDir());
        assertEquals(Path.of("/home/me/.engram/config"), options.configDir());
        assertEquals(LauncherOptions.Action.SERVE, options.action());
    }

    @Test
    void environmentOverridesDefaultsAndOptionsOverrideEnvironment() throws Exception {
        Map<String, String> env = Map.of("ENGRAM_DATA", "/var/engram", "ENGRAM_CONFIG", "/etc/engram");
        assertEquals(Path.of("/var/engram"), parse(env).dataDir());
        assertEquals(Path.of("/etc/engram"), parse(env).configDir());
        LauncherOptions options = parse(env, "--data", "/d", "--config=/c");
        assertEquals(Path.of("/d"), options.dataDir());
        assertEquals(Path.of("/c"), options.configDir());
    }

    @Test
    void configFolderFollowsTheDataFolder() throws Exception {
        assertEquals(Path.of("/d/config"), parse(Map.of(), "--data=/d").configDir());
    }

    @Test
    void helpAndVersion() throws Exception {
        assertEquals(LauncherOptions.Action.HELP, parse(Map.of(), "--help").action());
        assertEquals(LauncherOptions.Action.VERSION, parse(Map.of(), "--version").action());
        assertEquals(LauncherOptions.Action.HELP, parse(Map.of(), "--version", "-h").action());
    }

    @Test
    void badCommandLinesSayWhatIsWrong() {
        var unknown = assertThrows(LauncherOptions.UsageException.class, () -> parse(Map.of(), "--verbose"));
        assertEquals("unknown option: --verbose", unknown.getMessage());
        var missing = assertThrows(LauncherOptions.UsageException.class, () -> parse(Map.of(), "--data"));
        assertTrue(missing.getMessage().startsWith("option --data needs a folder"), missing.getMessage());
        var empty = assertThrows(LauncherOptions.UsageException.class, () -> parse(Map.of(), "--config="));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    }

    @Test
    void importAndExportTakeAFileAndANamespaceInAnyOrder() throws Exception {
        LauncherOptions imported = parse(Map.of(), "import", "--namespace", "global", "memory.jsonl", "--data=/d");
        assertEquals(LauncherOptions.Action.IMPORT, imported.action());
        assertEquals("memory.jsonl", imported.file());
        assertEquals("global", imported.namespace());
        assertEquals(Path.of("/d"), imported.dataDir());

        LauncherOptions exported = parse(Map.of(), "--namespace=/home/ana/app", "export", "-");
        assertEquals(LauncherOptions.Action.EXPORT, exported.action());
        assertEquals("-", exported.file(), "- is stdout");
        assertEquals("/home/ana/app", exported.namespace());

        assertEquals(null, parse(Map.of(), "export", "out.jsonl").namespace(), "no --namespace: the default rule");
        assertEquals("status", parse(Map.of(), "import", "status").file(), "a file may be named like a command");
        assertEquals(LauncherOptions.Action.HELP, parse(Map.of(), "import", "--help").action());
    }

    @Test
    void importAndExportMisusedSayWhatIsWrong() {
        var noFile = assertThrows(LauncherOptions.UsageException.class, () -> parse(Map.of(), "import"));
        assertEquals("import needs a file: java -jar engram.jar import FILE [--namespace NS]", noFile.getMessage());
        var twoFiles = assertThrows(LauncherOptions.UsageException.class,
                () -> parse(Map.of(), "export", "a.jsonl", "b.jsonl"));
        assertEquals("unknown option: b.jsonl", twoFiles.getMessage());
        var twoCommands = assertThrows(LauncherOptions.UsageException.class,
                () -> parse(Map.of(), "status", "export", "a.jsonl"));
        assertEquals("one command at a time, got status and export", twoCommands.getMessage());
        var namespaceWithoutCommand = assertThrows(LauncherOptions.UsageException.class,
                () -> parse(Map.of(), "--namespace", "global"));
        assertTrue(namespaceWithoutCommand.getMessage().startsWith("option --namespace applies to import and export"),
                namespaceWithoutCommand.getMessage());
        var emptyNamespace = assertThrows(LauncherOptions.UsageException.class,
                () -> parse(Map.of(), "import", "a.jsonl", "--namespace", " "));
        assertTrue(emptyNamespace.getMessage().contains("empty"), emptyNamespace.getMessage());
    }

    @Test
    void helpListsTheCommands() {
        for (String command : List.of("status", "import FILE", "export FILE", "--namespace NS", "ENGRAM_NAMESPACE")) {
            assertTrue(LauncherOptions.usage().contains(command), command + " in:\n" + LauncherOptions.usage());
        }
    }

    @Test
    void engramLogLevelsMapToJulLevels() {
        assertEquals(Level.INFO, StderrLogging.parseLevel(null));
        assertEquals(Level.SEVERE, StderrLogging.parseLevel("error"));
        assertEquals(Level.WARNING, StderrLogging.parseLevel("WARN"));
        assertEquals(Level.FINE, StderrLogging.parseLevel("debug"));
        assertEquals(Level.FINEST, StderrLogging.parseLevel("trace"));
        assertEquals(null, StderrLogging.parseLevel("loud"));
    }
}
