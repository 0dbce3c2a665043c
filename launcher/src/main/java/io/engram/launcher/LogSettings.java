package io.engram.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * config/engram.logging.cfg: the level of the host's log, read at start (so startup itself logs
 * at it) and again on every edit. ENGRAM_LOG in the environment, which an IDE's server entry
 * sets, overrides the file. A bad value is reported with the file and key and the level in force
 * stays.
 */
final class LogSettings {

    static final String FILE_NAME = "engram.logging.cfg";
    static final String LEVEL_KEY = "level";

    private static final Logger LOG = Logger.getLogger(LogSettings.class.getName());

    private final Path file;
    private final String engramLog;

    /** @param engramLog the value of ENGRAM_LOG, or null when it is not set */
    LogSettings(Path configDir, String engramLog) {
        this.file = configDir.resolve(FILE_NAME);
        this.engramLog = engramLog == null || engramLog.isBlank() ? null : engramLog;
    }

    Path file() {
        return file;
    }

    /** Reads the file and sets the level it names, unless ENGRAM_LOG decides. */
    void apply() throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        Properties settings = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            settings.load(reader);
        }
        // Worded like io.engram.api.config.ConfigReader, which checks the bundles' settings.
        for (String key : new TreeSet<>(settings.stringPropertyNames())) {
            if (!key.equals(LEVEL_KEY)) {
                LOG.warning("config file " + file + ": unknown setting \"" + key + "\"; known settings: " + LEVEL_KEY);
            }
        }
        String value = settings.getProperty(LEVEL_KEY);
        if (value == null) {
            return;
        }
        Level level = StderrLogging.parseLevel(value);
        Level current = StderrLogging.level();
        if (level == null) {
            LOG.severe("config file " + file + ": " + LEVEL_KEY + " = \"" + value.trim() + "\" is not a level ("
                    + StderrLogging.LEVEL_NAMES + "); keeping " + StderrLogging.name(current));
            return;
        }
        if (engramLog != null) {
            if (!level.equals(current)) {
                LOG.info("ENGRAM_LOG=" + engramLog + " overrides " + LEVEL_KEY + " = " + value.trim() + " in " + file);
            }
            return;
        }
        if (!level.equals(current)) {
            StderrLogging.setLevel(level);
            LOG.info("Log level " + StderrLogging.name(level) + " (" + file + ")");
        }
    }
}
