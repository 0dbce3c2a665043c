package io.engram.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * A folder private to this process for the Felix framework cache and lmdbjava's extracted
 * native library. Two IDE windows sharing a framework cache corrupt each other, so each
 * process gets its own, named by PID; folders of processes that are gone (killed) are
 * removed at the next start.
 */
final class RuntimeFolder {

    private static final Logger LOG = Logger.getLogger(RuntimeFolder.class.getName());
    private static final String PREFIX = "engram-run-";

    private RuntimeFolder() {
    }

    static Path create(Path parent) throws IOException {
        Files.createDirectories(parent);
        removeStale(parent);
        Path own = parent.resolve(PREFIX + ProcessHandle.current().pid());
        DefaultConfig.deleteTree(own); // left by an earlier process that had our PID
        return Files.createDirectories(own);
    }

    private static void removeStale(Path parent) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path entry : entries) {
                String pid = entry.getFileName().toString().substring(PREFIX.length());
                try {
                    if (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                } catch (NumberFormatException notOurs) {
                    continue;
                }
                LOG.fine("Removing runtime folder of a process that is gone: " + entry);
                DefaultConfig.deleteTree(entry);
            }
        } catch (IOException e) {
            LOG.fine("Could not scan " + parent + " for stale runtime folders: " + e);
        }
    }
}
