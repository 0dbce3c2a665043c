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
