package io.engram.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheStampTest {

    @TempDir
    Path dir;

    private Map<String, URL> sources() throws Exception {
        Map<String, URL> sources = new LinkedHashMap<>();
        sources.put("gson", BundleList.locate("gson", dir));
        sources.put("plugin.jar", BundleList.locate("plugin.jar", dir));
        return sources;
    }

    @Test
    void describesTheSameBundlesTheSameWay() throws Exception {
        Files.write(dir.resolve("plugin.jar"), new byte[] {1, 2, 3});
        assertEquals(CacheStamp.describe(sources()), CacheStamp.describe(sources()));
    }

    @Test
    void aChangedJarFileChangesTheStamp() throws Exception {
        Path plugin = Files.write(dir.resolve("plugin.jar"), new byte[] {1, 2, 3});
        String before = CacheStamp.describe(sources());
        Files.write(plugin, new byte[] {1, 2, 3, 4});
        assertNotEquals(before, CacheStamp.describe(sources()), "size changed");

        String sameSize = CacheStamp.describe(sources());
        Files.setLastModifiedTime(plugin, FileTime.fromMillis(Files.getLastModifiedTime(plugin).toMillis() - 60_000));
        assertNotEquals(sameSize, CacheStamp.describe(sources()), "modification time changed");
    }

    @Test
    void aBundleThatAppearsOrMovesInTheListChangesTheStamp() throws Exception {
        String missing = CacheStamp.describe(sources());
        Files.write(dir.resolve("plugin.jar"), new byte[] {1});
        String present = CacheStamp.describe(sources());
        assertNotEquals(missing, present);

        Map<String, URL> reordered = new LinkedHashMap<>();
        reordered.put("plugin.jar", BundleList.locate("plugin.jar", dir));
        reordered.put("gson", BundleList.locate("gson", dir));
        assertNotEquals(present, CacheStamp.describe(reordered), "start order is part of what the cache holds");
    }

    @Test
    void writtenWholeReadBackAndDeleted() throws Exception {
        assertNull(CacheStamp.read(dir), "no stamp yet");
        CacheStamp.write(dir, "framework x\n");
        CacheStamp.write(dir, "framework y\n");
        assertEquals("framework y\n", CacheStamp.read(dir));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        CacheStamp.delete(dir);
        assertNull(CacheStamp.read(dir));
        assertFalse(Files.exists(dir.resolve(CacheStamp.FILE_NAME)));
    }
}
