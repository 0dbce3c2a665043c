package io.engram.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident set size, as the Linux kernel reports it; unknown elsewhere. */
final class ResidentMemory {

    static final Path PROC_SELF_STATUS = Path.of("/proc/self/status");

    private ResidentMemory() {
    }

    /** VmRSS from a /proc status file, in MiB rounded to 0.1, or null when it cannot be read. */
    static Double megabytes(Path procStatus) {
        try {
            for (String line : Files.readAllLines(procStatus, StandardCharsets.ISO_8859_1)) {
                // "VmRSS:     123456 kB"
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                    long kib = Long.parseLong(parts[0]);
                    return Math.round(kib / 1024.0 * 10) / 10.0;
                }
            }
            return null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }
}
