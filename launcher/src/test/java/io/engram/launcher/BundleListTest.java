package io.engram.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bundles.list: order kept, comments and repeats dropped, line numbers for messages. */
class BundleListTest {

    @TempDir
    Path config;

    @Test
    void entriesKeepOrderAndTheirLineNumbers() throws Exception {
        Files.writeString(config.resolve(BundleList.FILE_NAME), """
                # a comment
                gson
                  engram.api   # trailing comment
                # engram.memory
                gson

                engram.mcp
                """);
        assertEquals(List.of(new BundleList.Entry(2, "gson"), new BundleList.Entry(3, "engram.api"),
                new BundleList.Entry(7, "engram.mcp")), BundleList.readEntries(config));
        assertEquals(List.of("gson", "engram.api", "engram.mcp"), BundleList.read(config));
    }
}
