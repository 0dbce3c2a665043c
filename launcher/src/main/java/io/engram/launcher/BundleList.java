package io.engram.launcher;

import java.io.IOException;
import java.net.URL;
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

    /**
     * Where the bundle an entry names comes from: a jar file (a name ending in .jar, relative
     * to the config folder) or a bundle inside engram.jar; null when there is none.
     */
    static URL locate(String name, Path configDir) throws IOException {
        if (name.endsWith(".jar")) {
            Path jar = configDir.resolve(name);
            return Files.isRegularFile(jar) ? jar.toUri().toURL() : null;
        }
        return BundleList.class.getClassLoader().getResource("bundles/" + name + ".jar");
    }

    /** An entry of the list and the line it is on (1-based), for messages. */
    record Entry(int line, String name) {
    }

    static List<String> read(Path configDir) throws IOException {
        List<String> names = new ArrayList<>();
        for (Entry entry : readEntries(configDir)) {
            names.add(entry.name());
        }
        return names;
    }

    /** The entries in order, each named once (a repeated name keeps its first line). */
    static List<Entry> readEntries(Path configDir) throws IOException {
        List<String> lines = Files.readAllLines(configDir.resolve(FILE_NAME), StandardCharsets.UTF_8);
        List<Entry> entries = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String name = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!name.isEmpty() && !seen.contains(name)) {
                seen.add(name);
                entries.add(new Entry(i + 1, name));
            }
        }
        return entries;
    }
}
