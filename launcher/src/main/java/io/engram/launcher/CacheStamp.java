package io.engram.launcher;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.logging.Logger;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;

/**
 * Names what a framework cache slot holds: the framework and, in start order, each bundle
 * config lists with the identity of its jar (size and CRC from engram.jar's central directory,
 * or size and modification time of a jar file), then the bundles Felix installed from them
 * (id, location, last modified). A slot whose stamp equals what is wanted now and what Felix
 * found in its cache is reused as is. The stamp is deleted before a slot is rebuilt and written
 * only once the rebuilt framework has started, so a process killed halfway leaves no stamp and
 * the next one rebuilds.
 */
final class CacheStamp {

    private static final Logger LOG = Logger.getLogger(CacheStamp.class.getName());
    static final String FILE_NAME = "stamp";

    private CacheStamp() {
    }

    /**
     * What a cache holding these bundles, in this order, is built from; a null source means the
     * bundle cannot be found (and so is not installed).
     */
    static String describe(Map<String, URL> sources) throws IOException {
        StringBuilder stamp = new StringBuilder(1024);
        URL framework = Felix.class.getResource(Felix.class.getSimpleName() + ".class");
        stamp.append("framework ").append(identity(framework)).append('\n');
        for (Map.Entry<String, URL> bundle : sources.entrySet()) {
            stamp.append("bundle ").append(bundle.getKey()).append(' ')
                    .append(bundle.getValue() == null ? "missing" : identity(bundle.getValue())).append('\n');
        }
        return stamp.toString();
    }

    /**
     * The given installed bundles (the launcher's own) as Felix reports them. An update or
     * reinstall changes a bundle's last-modified time, so a cache changed at run time no longer matches its stamp.
     */
    static String installed(List<Bundle> bundles) {
        StringBuilder lines = new StringBuilder(512);
        for (Bundle bundle : bundles) {
            lines.append("installed ").append(bundle.getBundleId()).append(' ').append(bundle.getLocation())
                    .append(' ').append(bundle.getLastModified()).append('\n');
        }
        return lines.toString();
    }

    /** Cheap: reads entry headers or file attributes, never the content. */
    private static String identity(URL source) throws IOException {
        URLConnection connection = source.openConnection();
        if (connection instanceof JarURLConnection inJar) {
            JarEntry entry = inJar.getJarEntry();
            return "entry " + entry.getName() + " size " + entry.getSize() + " crc " + Long.toHexString(entry.getCrc());
        }
        if ("file".equals(source.getProtocol())) {
            Path file;
            try {
                file = Path.of(source.toURI());
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return "file " + file + " size " + attributes.size() + " modified "
                    + attributes.lastModifiedTime().toMillis();
        }
        throw new IOException("cannot tell the identity of " + source);
    }

    /** The stamp in {@code folder}; null when there is none. */
    static String read(Path folder) {
        try {
            return Files.readString(folder.resolve(FILE_NAME), StandardCharsets.UTF_8);
        } catch (NoSuchFileException missing) {
            return null;
        } catch (IOException e) {
            LOG.fine("Cannot read the cache stamp in " + folder + ": " + e);
            return null;
        }
    }

    static void delete(Path folder) throws IOException {
        Files.deleteIfExists(folder.resolve(FILE_NAME));
    }

    static void write(Path folder, String stamp) throws IOException {
        Path temp = folder.resolve(FILE_NAME + ".new");
        Files.writeString(temp, stamp, StandardCharsets.UTF_8);
        // Whole or not at all: a reader never sees half a stamp.
        Files.move(temp, folder.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }
}
