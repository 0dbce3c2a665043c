package io.engram.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bundles to start at launch, read from config/bundles.list: one per line, in start
 * order; '#' starts a comment. Each entry is an embedded bundle name or a jar path.
 */
final class BundleList {

    static final String FILE_NAME = "bundles.list";

    private BundleList() {
    }

    static List<String> read(Path configDir) throws IOException {
        Path file = configDir.resolve(FILE_NAME);
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int hash = line.indexOf('#');
            String entry = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!entry.isEmpty() && !names.contains(entry)) {
                names.add(entry);
            }
        }
        return names;
    }
}
