package io.engram.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.launcher.EngramHost;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An Engram host in this JVM (the real Felix, SCR, Configuration Admin, FileInstall and the bundles of
 * engram.jar) on a fresh data folder, with an MCP client on in-memory pipes, initialized, before each
 * test (and before the test class's own {@code @BeforeEach}); stopped by closing its stdin after it,
 * within the given time. Register it with {@code @RegisterExtension}.
 */
final class InProcessHost implements BeforeEachCallback, AfterEachCallback {

    private final Duration stopWithin;
    private Path data;
    private EngramHost host;
    private McpClient client;
    private OutputStream toHost;

    InProcessHost(Duration stopWithin) {
        this.stopWithin = stopWithin;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        data = Files.createTempDirectory("engram-in-process");
        Pipe clientToHost = Pipe.open();
        Pipe hostToClient = Pipe.open();
        toHost = Channels.newOutputStream(clientToHost.sink());
        host = EngramHost.start(data, data.resolve("config"),
                Channels.newInputStream(clientToHost.source()), Channels.newOutputStream(hostToClient.sink()));
        client = new McpClient(Channels.newInputStream(hostToClient.source()), toHost, "in-framework");
        client.initialize("2025-11-25");
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            toHost.close(); // stdin EOF: the transport stops the framework
            host.awaitStop();
            assertTrue(host.stop(stopWithin));
        } finally {
            delete(data);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** The host's data folder. */
    Path data() {
        return data;
    }

    EngramHost host() {
        return host;
    }

    McpClient client() {
        return client;
    }
}
