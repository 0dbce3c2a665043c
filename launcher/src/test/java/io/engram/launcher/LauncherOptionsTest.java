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
    void engramLogLevelsMapToJulLevels() {
        assertEquals(Level.INFO, StderrLogging.parseLevel(null));
        assertEquals(Level.SEVERE, StderrLogging.parseLevel("error"));
        assertEquals(Level.WARNING, StderrLogging.parseLevel("WARN"));
        assertEquals(Level.FINE, StderrLogging.parseLevel("debug"));
        assertEquals(Level.FINEST, StderrLogging.parseLevel("trace"));
        assertEquals(null, StderrLogging.parseLevel("loud"));
    }
}
