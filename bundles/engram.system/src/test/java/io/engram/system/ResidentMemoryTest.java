package io.engram.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResidentMemoryTest {

    @TempDir
    Path dir;

    @Test
    void readsVmRssInMegabytes() throws Exception {
        Path status = Files.writeString(dir.resolve("status"),
                "Name:\tjava\nVmPeak:\t 9999999 kB\nVmRSS:\t  157286 kB\nThreads:\t42\n");
        assertEquals(153.6, ResidentMemory.megabytes(status));
    }

    @Test
    void unknownWithoutProcOrVmRss() throws Exception {
        assertNull(ResidentMemory.megabytes(dir.resolve("missing")));
        assertNull(ResidentMemory.megabytes(Files.writeString(dir.resolve("status"), "Name:\tjava\n")));
    }
}
