package io.engram.deploy;

import java.io.File;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.logging.Logger;
import java.util.zip.ZipException;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Component;

/**
 * Reports a {@code .jar} in a watched folder that is not an OSGi bundle, which FileInstall
 * would otherwise skip without a word.
 *
 * <p>FileInstall asks its {@link ArtifactInstaller} services, then its own bundle handling
 * last, whether they can handle a new or changed file, and asks again on every scan about a file
 * nobody took. This installer takes nothing: it answers no for every file, so each bundle stays
 * with FileInstall's own handling, and reports the jars that are not bundles (not a zip, no
 * manifest, no Bundle-SymbolicName: the test FileInstall's bundle handling applies) once per
 * file version (size and modification time). Taking such a file instead would keep it away from
 * FileInstall's bundle handling after the user replaces it with a real bundle of the same name:
 * FileInstall would drop it as no longer ours and, the file now unchanged, never look at it again.
 */
@Component(service = ArtifactInstaller.class)
public final class NonBundleReporter implements ArtifactInstaller {

    private static final Logger LOG = Logger.getLogger(NonBundleReporter.class.getName());

    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    @Override
    public boolean canHandle(File artifact) {
        if (artifact.getName().endsWith(".jar")) {
            String version = artifact.getAbsolutePath() + "@" + artifact.length() + "/" + artifact.lastModified();
            if (!reported.contains(version)) {
                String why = whyNotABundle(artifact);
                if (why != null && reported.add(version)) {
                    LOG.warning(Plugins.shortPath(artifact) + " is not an OSGi bundle: " + why + "; ignored");
                }
            }
        }
        return false;
    }

    @Override
    public void install(File artifact) {
        // never called: this installer takes no file
    }

    @Override
    public void update(File artifact) {
        // never called: this installer takes no file
    }

    @Override
    public void uninstall(File artifact) {
        // never called: this installer takes no file
    }

    /** Why the file is not a bundle, or null when it is one. */
    static String whyNotABundle(File file) {
        try (JarFile jar = new JarFile(file)) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return "it has no META-INF/MANIFEST.MF";
            }
            if (manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return "it has no Bundle-SymbolicName in its manifest";
            }
            return null;
        } catch (ZipException e) {
            return "it is not a jar (zip) file";
        } catch (IOException | SecurityException e) {
            return "it cannot be read (" + e.getMessage() + ")";
        }
    }
}
