package io.engram.deploy;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import org.osgi.framework.Bundle;

/** How a plugin is named in messages: what the user dropped in, as they would recognise it. */
final class Plugins {

    private Plugins() {
    }

    /** {@code deploy/notes.jar}: the folder and the file name, enough to find it without a long absolute path. */
    static String shortPath(File file) {
        File folder = file.getAbsoluteFile().getParentFile();
        return folder == null ? file.getName() : folder.getName() + "/" + file.getName();
    }

    /** {@code bundle greeter 1.0.0 (deploy/greeter.jar)}; the file is left out for a bundle not installed from one. */
    static String describe(Bundle bundle) {
        String name = bundle.getSymbolicName() == null ? "#" + bundle.getBundleId() : bundle.getSymbolicName();
        String text = "bundle " + name + " " + bundle.getVersion();
        File file = fileOf(bundle.getLocation());
        return file == null ? text : text + " (" + shortPath(file) + ")";
    }

    private static File fileOf(String location) {
        try {
            URI uri = new URI(location);
            return "file".equals(uri.getScheme()) ? Path.of(uri).toFile() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
