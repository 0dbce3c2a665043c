package io.engram.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Env;

/** jffi's stub is extracted whole, where jffi's boot path points. */
class JffiStubTest {

    @TempDir
    Path base;

    @Test
    void platformFoldersFollowJffisNaming() {
        assertEquals("x86_64-Linux", JffiStub.platformFolder("Linux", "amd64"));
        assertEquals("aarch64-Linux", JffiStub.platformFolder("Linux", "aarch64"));
        assertEquals("x86_64-Windows", JffiStub.platformFolder("Windows 11", "amd64"));
        assertNull(JffiStub.platformFolder("Mac OS X", "aarch64"));
        assertNull(JffiStub.platformFolder("Linux", "s390x"));
    }

    @Test
    void theWholeStubLandsInTheBootPath() throws Exception {
        String previous = System.getProperty(JffiStub.BOOT_PATH_PROPERTY);
        try {
            JffiStub.prepare(Env.class.getClassLoader(), base);
            String platform = JffiStub.platformFolder(System.getProperty("os.name"), System.getProperty("os.arch"));
            String fileName = System.mapLibraryName("jffi-1.2");
            Path extracted = Path.of(System.getProperty(JffiStub.BOOT_PATH_PROPERTY)).resolve(fileName);
            try (InputStream original = Env.class.getClassLoader()
                    .getResourceAsStream("jni/" + platform + "/" + fileName)) {
                assertArrayEquals(original.readAllBytes(), Files.readAllBytes(extracted));
            }
        } finally {
            if (previous == null) {
                System.clearProperty(JffiStub.BOOT_PATH_PROPERTY);
            } else {
                System.setProperty(JffiStub.BOOT_PATH_PROPERTY, previous);
            }
        }
    }
}
