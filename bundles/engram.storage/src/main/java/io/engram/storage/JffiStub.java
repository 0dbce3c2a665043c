package io.engram.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Extracts jffi's native stub ourselves before jnr-ffi first loads it, and points jffi at the
 * copy through {@code jffi.boot.library.path}.
 *
 * <p>Why: jffi 1.3.x extracts the stub with a copy loop that stops when
 * {@code InputStream.available()} returns 0, which a jar's inflater stream may do before the
 * end (jnr/jffi#194, open). The truncated library then crashes the JVM with SIGBUS inside
 * {@code dlopen}; it happened here several times under load. Reading the resource to its end
 * avoids that. Each class loader gets its own folder, because one native library file can be
 * loaded by only one class loader (a bundle update brings a new one).
 */
final class JffiStub {

    private static final Logger LOG = Logger.getLogger(JffiStub.class.getName());
    static final String BOOT_PATH_PROPERTY = "jffi.boot.library.path";

    private JffiStub() {
    }

    /**
     * Writes the stub for this platform from {@code loader} into a new folder under {@code base}
     * and sets {@value #BOOT_PATH_PROPERTY} to it. Does nothing when this platform's stub is not
     * known; jffi then extracts it as usual.
     */
    static void prepare(ClassLoader loader, Path base) {
        String platform = platformFolder(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
        if (platform == null) {
            return;
        }
        String fileName = System.mapLibraryName("jffi-1.2");
        try (InputStream stub = loader.getResourceAsStream("jni/" + platform + "/" + fileName)) {
            if (stub == null) {
                return;
            }
            byte[] library = stub.readAllBytes();
            Path folder = Files.createTempDirectory(Files.createDirectories(base), "jffi-");
            Path partial = folder.resolve(fileName + ".part");
            Files.write(partial, library);
            Files.move(partial, folder.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
            folder.toFile().deleteOnExit();
            folder.resolve(fileName).toFile().deleteOnExit();
            System.setProperty(BOOT_PATH_PROPERTY, folder.toString());
        } catch (IOException | RuntimeException e) {
            LOG.fine("Could not extract jffi's stub ahead of jffi (it will extract it itself): " + e);
        }
    }

    /** jffi's name for the platform folder inside its jar, or null when not one we prepare. */
    static String platformFolder(String osName, String osArch) {
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        String os = osName.toLowerCase(Locale.ROOT);
        if (arch == null) {
            return null;
        }
        if (os.startsWith("linux")) {
            return arch + "-Linux";
        }
        if (os.startsWith("windows")) {
            return arch + "-Windows";
        }
        return null; // macOS and others: jffi's own naming differs; leave extraction to jffi
    }
}
