package io.engram.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Creates the config folder from the commented defaults inside engram.jar the first time
 * Engram runs with it. An existing folder is never touched: what an admin removed (to
 * switch something off) stays removed.
 */
final class DefaultConfig {

    private static final Logger LOG = Logger.getLogger(DefaultConfig.class.getName());
    static final String RESOURCE_DIR = "default-config";

    private DefaultConfig() {
    }

    static void seedIfMissing(Path configDir) throws IOException {
        if (Files.isDirectory(configDir)) {
            return;
        }
        Path staging = Files.createDirectories(configDir.getParent())
                .resolve(configDir.getFileName() + ".new-" + ProcessHandle.current().pid());
        Files.createDirectories(staging);
        copyDefaults(staging);
        try {
            // Rename whole so that a second process starting at the same moment never sees half a folder.
            Files.move(staging, configDir, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Created config folder " + configDir + " with the default settings");
        } catch (IOException raced) {
            if (!Files.isDirectory(configDir)) {
                throw raced;
            }
            Folders.deleteTree(staging);
        }
    }

    private static void copyDefaults(Path target) throws IOException {
        URL marker = DefaultConfig.class.getClassLoader().getResource(RESOURCE_DIR + "/" + BundleList.FILE_NAME);
        if (marker == null) {
            throw new IOException("engram.jar has no " + RESOURCE_DIR + "/ folder; the build is broken");
        }
        URI uri;
        try {
            uri = marker.toURI();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        if ("jar".equals(uri.getScheme())) {
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                copyFolder(jar.getPath(RESOURCE_DIR), target);
            }
        } else {
            copyFolder(Path.of(uri).getParent(), target);
        }
    }

    private static void copyFolder(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    try (InputStream in = Files.newInputStream(file)) {
                        Files.copy(in, target.resolve(file.getFileName().toString()));
                    }
                }
            }
        }
    }

}
