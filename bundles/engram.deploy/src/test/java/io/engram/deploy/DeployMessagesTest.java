package io.engram.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wording of the reports, from real files and the filters Felix writes for requirements. */
class DeployMessagesTest {

    @TempDir
    Path dir;

    @Test
    void saysWhyAJarIsNotABundle() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.jar"), "plain text");
        assertEquals("it is not a jar (zip) file", NonBundleReporter.whyNotABundle(text.toFile()));

        Path zip = dir.resolve("zip.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("a.txt"));
        }
        assertEquals("it has no META-INF/MANIFEST.MF", NonBundleReporter.whyNotABundle(zip.toFile()));

        assertEquals("it has no Bundle-SymbolicName in its manifest",
                NonBundleReporter.whyNotABundle(jar("plain.jar", null).toFile()));
        assertNull(NonBundleReporter.whyNotABundle(jar("bundle.jar", "my.plugin").toFile()));
        assertEquals("deploy/notes.jar", Plugins.shortPath(dir.resolve("deploy").resolve("notes.jar").toFile()));
    }

    @Test
    void namesTheMissingRequirementWithItsVersions() {
        assertEquals("no installed bundle exports package com.example.missing version [1.0.0,2.0.0)",
                UnresolvedBundleReporter.describe("osgi.wiring.package",
                        "(&(osgi.wiring.package=com.example.missing)(version>=1.0.0)(!(version>=2.0.0)))"));
        assertEquals("no installed bundle exports package com.example.any",
                UnresolvedBundleReporter.describe("osgi.wiring.package", "(osgi.wiring.package=com.example.any)"));
        assertEquals("no installed bundle exports package a.b version 1.2.0 or later",
                UnresolvedBundleReporter.describe("osgi.wiring.package", "(&(osgi.wiring.package=a.b)(version>=1.2.0))"));
        assertEquals("no installed bundle exports package a.b version (1.0.0,1.5.0]",
                UnresolvedBundleReporter.describe("osgi.wiring.package",
                        "(&(osgi.wiring.package=a.b)(!(version<=1.0.0))(version<=1.5.0))"));
        assertEquals("no installed bundle is org.example.lib version [2.0.0,3.0.0)",
                UnresolvedBundleReporter.describe("osgi.wiring.bundle",
                        "(&(osgi.wiring.bundle=org.example.lib)(bundle-version>=2.0.0)(!(bundle-version>=3.0.0)))"));
        assertEquals("nothing provides osgi.extender osgi.cdi version 1.0.0 or later",
                UnresolvedBundleReporter.describe("osgi.extender", "(&(osgi.extender=osgi.cdi)(version>=1.0.0))"));
        assertEquals("nothing provides osgi.ee (|(osgi.ee=JavaSE)(osgi.ee=Other))",
                UnresolvedBundleReporter.describe("osgi.ee", "(|(osgi.ee=JavaSE)(osgi.ee=Other))"));
    }

    @Test
    void summarisesScrsStackTraceToItsExceptionAndCauses() {
        String failure = """
                org.osgi.service.component.ComponentException: activation failed
                \tat org.apache.felix.scr.impl.Something.run(Something.java:1)
                Caused by: java.lang.IllegalStateException: no licence key
                \tat io.example.Tool.activate(Tool.java:9)
                \t... 7 more
                """;
        assertEquals("org.osgi.service.component.ComponentException: activation failed; caused by "
                + "java.lang.IllegalStateException: no licence key", ComponentFailureReporter.summary(failure));
        assertEquals("no reason given", ComponentFailureReporter.summary(null));
    }

    private Path jar(String name, String symbolicName) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        Path path = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(path); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new ZipEntry("README.txt"));
        }
        return path;
    }
}
