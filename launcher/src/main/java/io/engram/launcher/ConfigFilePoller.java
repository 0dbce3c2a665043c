package io.engram.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches the launcher's own files in the config folder (bundles.list, engram.logging.cfg):
 * polls each file's size and modification time every second, as FileInstall does for the
 * .cfg files the bundles read, and runs the file's action when they change, so an edit applies
 * within about 2 s. One daemon thread for all files.
 */
final class ConfigFilePoller implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConfigFilePoller.class.getName());
    static final long POLL_MS = 1000;

    /** What a file's change does; may throw, which is logged and leaves the poller running. */
    interface Action {
        void apply() throws Exception;
    }

    private final List<Watched> files = new CopyOnWriteArrayList<>();
    private final Thread thread = new Thread(this::run, "engram-config-poller");
    private volatile boolean closed;

    ConfigFilePoller() {
        thread.setDaemon(true);
    }

    /**
     * Runs {@code action} whenever {@code file} changes from {@code applied}, its
     * {@link #fingerprint(Path)} taken before it was last read, so an edit made meanwhile still applies.
     */
    ConfigFilePoller watch(Path file, Object applied, Action action) {
        files.add(new Watched(file, action, applied));
        return this;
    }

    ConfigFilePoller start() {
        thread.start();
        return this;
    }

    /** Size and modification time of a file; null when it is missing. */
    static Object fingerprint(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(attributes.size(), attributes.lastModifiedTime());
        } catch (IOException missing) {
            return null;
        }
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
            for (Watched watched : files) {
                Object now = fingerprint(watched.file);
                if (!Objects.equals(now, watched.lastSeen)) {
                    watched.lastSeen = now;
                    try {
                        watched.action.apply();
                    } catch (Exception e) {
                        LOG.log(Level.SEVERE, "Cannot apply " + watched.file + ": " + e.getMessage(), e);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }

    private static final class Watched {
        final Path file;
        final Action action;
        volatile Object lastSeen;

        Watched(Path file, Action action, Object lastSeen) {
            this.file = file;
            this.action = action;
            this.lastSeen = lastSeen;
        }
    }
}
