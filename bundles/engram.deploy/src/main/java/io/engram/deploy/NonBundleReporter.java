package io.engram.deploy;

import java.io.File;
import java.io.IOException;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.logging.Logger;
import java.util.zip.ZipException;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Component;

/**
 * Reports a {@code .jar} in a watched folder that is not an OSGi bundle, which FileInstall
 * would otherwise skip without a word (and look at again on every scan).
 *
 * <p>FileInstall asks its {@link ArtifactInstaller} services, then its own bundle handling last,
 * whether they can handle a new or changed file; the first that says yes owns it. This one says
 * yes only for a jar that is not a bundle (not a zip, no manifest, no Bundle-SymbolicName: the
 * test FileInstall's bundle handling applies), so every real bundle stays with FileInstall. It
 * owns the file from then on, which is what makes the warning come once per file version:
 * {@link #install} for a new file, {@link #update} for each change.
 */
@Component(service = ArtifactInstaller.class)
public final class NonBundleReporter implements ArtifactInstaller {

    private static final Logger LOG = Logger.getLogger(NonBundleReporter.class.getName());

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".jar") && whyNotABundle(artifact) != null;
    }

    @Override
    public void install(File artifact) {
        report(artifact);
    }

    @Override
    public void update(File artifact) {
        report(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        LOG.fine(() -> Plugins.shortPath(artifact) + " is gone");
    }

    private static void report(File artifact) {
        String why = whyNotABundle(artifact);
        if (why != null) {
            LOG.warning(Plugins.shortPath(artifact) + " is not an OSGi bundle: " + why + "; ignored");
        }
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
