package io.engram.launcher;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes java.util.logging, which every Engram bundle logs through, to stderr at the level
 * named by ENGRAM_LOG (or, without it, config/engram.logging.cfg: {@link LogSettings}). One
 * line per record so logs stay greppable. The root logger's level is the one filter.
 */
final class StderrLogging {

    static final String LEVEL_NAMES = "error, warn, info, debug, trace or off";

    private StderrLogging() {
    }

    /** Maps an ENGRAM_LOG value to a JUL level; null when the value is not a level. */
    static Level parseLevel(String name) {
        if (name == null || name.isBlank()) {
            return Level.INFO;
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "error" -> Level.SEVERE;
            case "warn", "warning" -> Level.WARNING;
            case "info" -> Level.INFO;
            case "debug" -> Level.FINE;
            case "trace" -> Level.FINEST;
            case "off" -> Level.OFF;
            default -> null;
        };
    }

    /** The level in force. */
    static Level level() {
        return Logger.getLogger("").getLevel();
    }

    static void setLevel(Level level) {
        Logger.getLogger("").setLevel(level);
    }

    /** The name ENGRAM_LOG and the config file use for a level. */
    static String name(Level level) {
        int value = level.intValue();
        if (value == Level.OFF.intValue()) {
            return "off";
        }
        return LineFormatter.levelName(level).trim().toLowerCase(Locale.ROOT);
    }

    /** Installs the stderr handler; returns the level in force. */
    static Level install(String engramLog, PrintStream stderr) {
        Level level = parseLevel(engramLog);
        boolean badValue = level == null;
        if (badValue) {
            level = Level.INFO;
        }
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    stderr.print(getFormatter().format(record));
                    stderr.flush();
                }
            }

            @Override
            public void flush() {
                stderr.flush();
            }

            @Override
            public void close() {
                flush();
            }
        };
        handler.setLevel(Level.ALL);
        handler.setFormatter(new LineFormatter());
        root.addHandler(handler);
        if (badValue) {
            Logger.getLogger(StderrLogging.class.getName()).warning(
                    "ENGRAM_LOG=" + engramLog + " is not a level (" + LEVEL_NAMES + "); using info");
        }
        return level;
    }

    /** "2026-11-26T14:52:25.123Z INFO  engram.storage: message", then any stack trace. */
    static final class LineFormatter extends Formatter {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT.withZone(ZoneOffset.UTC);

        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder(160);
            line.append(TIME.format(Instant.ofEpochMilli(record.getMillis()))).append(' ')
                    .append(levelName(record.getLevel())).append(' ')
                    .append(shortName(record.getLoggerName())).append(": ")
                    .append(formatMessage(record)).append(System.lineSeparator());
            if (record.getThrown() != null) {
                java.io.StringWriter trace = new java.io.StringWriter();
                record.getThrown().printStackTrace(new java.io.PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }

        static String levelName(Level level) {
            int value = level.intValue();
            if (value >= Level.SEVERE.intValue()) {
                return "ERROR";
            }
            if (value >= Level.WARNING.intValue()) {
                return "WARN ";
            }
            if (value >= Level.INFO.intValue()) {
                return "INFO ";
            }
            if (value >= Level.FINE.intValue()) {
                return "DEBUG";
            }
            return "TRACE";
        }

        /** io.engram.storage.LmdbStore -> storage.LmdbStore; other names unchanged. */
        private static String shortName(String loggerName) {
            if (loggerName == null || loggerName.isEmpty()) {
                return "engram";
            }
            return loggerName.startsWith("io.engram.") ? loggerName.substring("io.engram.".length()) : loggerName;
        }
    }
}
