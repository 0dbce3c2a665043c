package io.engram.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/** The gate is pending exactly while a config file exists that Configuration Admin has not handed over yet. */
class ConfigFileGateTest {

    private static final String PID = "engram.example";
    private static final Map<String, Object> FROM_DEFAULTS = Map.of("component.name", "io.engram.Example");
    private static final Map<String, Object> FROM_THE_FILE = Map.of("component.name", "io.engram.Example",
            "service.pid", PID, "felix.fileinstall.filename", "file:/somewhere/engram.example.cfg");

    @TempDir
    Path configDir;

    @RegisterExtension
    final WarningCapture capture = new WarningCapture(ConfigFileGate.class);
    private final List<LogRecord> warnings = capture.records();

    /** A BundleContext that only answers the framework property the gate reads. */
    private static BundleContext context(Path configDir) {
        return (BundleContext) Proxy.newProxyInstance(ConfigFileGateTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return ConfigFileGate.CONFIG_DIR_PROPERTY.equals(args[0]) && configDir != null
                                ? configDir.toString() : null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private Path writeFile() throws Exception {
        return Files.writeString(configDir.resolve(PID + ".cfg"), "path = elsewhere\n");
    }

    @Test
    void withoutAFileOrAConfigFolderTheGateIsOpen() {
        ConfigFileGate noFile = ConfigFileGate.of(context(configDir), PID, FROM_DEFAULTS);
        assertFalse(noFile.isPending());
        assertTrue(noFile.await());
        ConfigFileGate noFolder = ConfigFileGate.of(context(null), PID, FROM_DEFAULTS);
        assertFalse(noFolder.isPending());
        assertTrue(noFolder.await());
        assertEquals(List.of(), warnings);
    }

    @Test
    void propertiesFromConfigurationAdminAtActivationMeanTheFileIsInForce() throws Exception {
        writeFile();
        ConfigFileGate gate = ConfigFileGate.of(context(configDir), PID, FROM_THE_FILE);
        assertFalse(gate.isPending());
        assertTrue(gate.await());
    }

    @Test
    void aFileNotYetAppliedKeepsTheGatePendingUntilModifiedBringsIt() throws Exception {
        writeFile();
        ConfigFileGate gate = ConfigFileGate.of(context(configDir), PID, FROM_DEFAULTS, Duration.ofMinutes(1));
        assertTrue(gate.isPending());
        assertFalse(gate.await(Duration.ofMillis(50)), "nothing opened it yet");
        CompletableFuture<Boolean> opened = new CompletableFuture<>();
        gate.settled().thenAccept(opened::complete);

        gate.modified(FROM_DEFAULTS);
        assertTrue(gate.isPending(), "properties without service.pid are not the file's");
        gate.modified(FROM_THE_FILE);

        assertFalse(gate.isPending());
        assertTrue(gate.await());
        assertTrue(opened.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(), warnings);
    }

    @Test
    void aFileNeverAppliedOpensTheGateAtTheDeadlineWithAWarningNamingIt() throws Exception {
        Path file = writeFile();
        ConfigFileGate gate = ConfigFileGate.of(context(configDir), PID, FROM_DEFAULTS, Duration.ofMillis(200));
        assertTrue(gate.isPending());

        assertFalse(gate.await(), "the deadline passed without the file");
        assertFalse(gate.isPending());
        gate.modified(FROM_THE_FILE);
        assertFalse(gate.await(), "what happened at the deadline stays");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (warnings.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals("config file " + file + " was not applied within 200 ms of start (look for an earlier message"
                + " about it); " + PID + " goes on with its defaults until it is", warnings.get(0).getMessage());
    }
}
