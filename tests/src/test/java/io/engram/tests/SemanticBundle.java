package io.engram.tests;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The optional semantic search bundle, built by the reactor before this module and not inside engram.jar. */
final class SemanticBundle {

    private SemanticBundle() {
    }

    static Path jar() throws IOException {
        Path target = Path.of("../bundles/engram.semantic/target");
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "engram.semantic-*.jar")) {
            for (Path jar : jars) {
                String name = jar.getFileName().toString();
                if (!name.endsWith("-sources.jar") && !name.endsWith("-tests.jar")) {
                    return jar;
                }
            }
        }
        throw new IllegalStateException("engram.semantic not built in " + target.toAbsolutePath());
    }
}
