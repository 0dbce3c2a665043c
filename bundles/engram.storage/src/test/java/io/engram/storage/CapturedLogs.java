package io.engram.storage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/** Collects the storage bundle's log records during a test. */
final class CapturedLogs extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger("io.engram.storage");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    CapturedLogs() {
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    /** Messages at {@code level} (exactly), in order. */
    List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel() == level).map(LogRecord::getMessage)
                .collect(Collectors.toList());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
