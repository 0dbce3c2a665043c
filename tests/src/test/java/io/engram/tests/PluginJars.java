package io.engram.tests;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Builds plugin bundle jars at test time from the classes of one package under
 * {@code io.engram.tests.plugins}, with bndlib (the library behind bnd-maven-plugin): the
 * manifest, imports and DS component descriptors come out as a plugin author's build makes them.
 */
final class PluginJars {

    private static final File TEST_CLASSES = new File(PluginJars.class.getProtectionDomain().getCodeSource()
            .getLocation().getPath());

    private PluginJars() {
    }

    /**
     * A bundle holding package {@code io.engram.tests.plugins.<name>}, with symbolic name
     * {@code engram.test.<name>} unless {@code headers} say otherwise; {@code headers} are bnd
     * instructions (Bundle-Version, Import-Package, Bundle-Activator, ...).
     */
    static Path build(String name, Path dir, Map<String, String> headers) throws IOException {
        try (Builder builder = new Builder()) {
            builder.addClasspath(TEST_CLASSES);
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (entry.contains("engram.api") || entry.contains("engram.kg") || entry.contains("engram.text")
                        || entry.contains("osgi")) {
                    builder.addClasspath(new File(entry));
                }
            }
            builder.setProperty("Bundle-SymbolicName", "engram.test." + name);
            builder.setProperty("Bundle-Version", "1.0.0");
            builder.setProperty("Private-Package", "io.engram.tests.plugins." + name);
            builder.setProperty("-dsannotations", "*");
            builder.setProperty("-noimportjava", "true");
            headers.forEach(builder::setProperty);
            Jar jar = builder.build();
            if (!builder.isOk()) {
                throw new IOException("bnd could not build plugin " + name + ": " + builder.getErrors());
            }
            Files.createDirectories(dir);
            Path out = dir.resolve("engram.test." + name + ".jar");
            jar.write(out.toFile());
            return out;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("bnd could not build plugin " + name, e);
        }
    }

    /** Copies a jar into the deploy folder the way a careful author does: a temporary name, then a rename. */
    static Path deploy(Path jar, Path deployDir, String fileName) throws IOException {
        Path temp = deployDir.resolve("." + fileName + ".tmp");
        Files.copy(jar, temp, StandardCopyOption.REPLACE_EXISTING);
        return Files.move(temp, deployDir.resolve(fileName), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}
