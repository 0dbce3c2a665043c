package io.engram.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config/engram.logging.cfg against the real root logger. */
class LogSettingsTest {

    @TempDir
    Path config;

    private final Logger root = Logger.getLogger("");
    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level before;

    @BeforeEach
    void captureLogs() {
        before = root.getLevel();
        root.setLevel(Level.INFO);
        root.addHandler(capture);
    }

    @AfterEach
    void restore() {
        root.removeHandler(capture);
        root.setLevel(before);
    }

    private void write(String text) throws Exception {
        Files.writeString(config.resolve(LogSettings.FILE_NAME), text);
    }

    @Test
    void theFileSetsTheLevelAndEachEditAppliesAgain() throws Exception {
        write("# comment\nlevel = debug\n");
        new LogSettings(config, null).apply();
        assertEquals(Level.FINE, root.getLevel());
        write("level = WARN\n");
        new LogSettings(config, null).apply();
        assertEquals(Level.WARNING, root.getLevel());
    }

    @Test
    void aBadValueNamesFileKeyAndProblemAndKeepsTheLevel() throws Exception {
        write("level = loud\nlevle = debug\n");
        new LogSettings(config, null).apply();
        assertEquals(Level.INFO, root.getLevel());
        Path file = config.resolve(LogSettings.FILE_NAME);
        assertTrue(logged.stream().anyMatch(r -> r.getLevel() == Level.SEVERE && r.getMessage().equals("config file "
                + file + ": level = \"loud\" is not a level (error, warn, info, debug, trace or off); keeping info")),
                () -> messages());
        assertTrue(logged.stream().anyMatch(r -> r.getLevel() == Level.WARNING
                && r.getMessage().equals("config file " + file + ": unknown setting \"levle\"; known settings: level")), () -> messages());
    }

    @Test
    void engramLogFromTheEnvironmentOverridesTheFile() throws Exception {
        write("level = trace\n");
        new LogSettings(config, "info").apply();
        assertEquals(Level.INFO, root.getLevel());
        assertTrue(logged.stream().anyMatch(r -> r.getMessage().startsWith("ENGRAM_LOG=info overrides level = trace")),
                () -> messages());
    }

    @Test
    void noFileLeavesTheLevelAlone() throws Exception {
        new LogSettings(config, null).apply();
        assertEquals(Level.INFO, root.getLevel());
    }

    private String messages() {
        return logged.stream().map(LogRecord::getMessage).toList().toString();
    }
}
