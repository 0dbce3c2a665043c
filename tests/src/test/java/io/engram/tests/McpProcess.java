package io.engram.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real engram.jar as a child process, spoken to the way an IDE does: JSON-RPC lines on
 * its stdin, messages read from its stdout, stderr kept for assertions.
 */
final class McpProcess extends McpClient implements AutoCloseable {

    final Process process;
    private final StringBuffer stderr = new StringBuffer();

    private McpProcess(Process process) {
        super(process.getInputStream(), process.getOutputStream(), Long.toString(process.pid()));
        this.process = process;
        Thread err = new Thread(this::readStderr, "engram-stderr-" + process.pid());
        err.setDaemon(true);
        err.start();
    }

    /**
     * Copies the shipped config folder (the repository's config/) into {@code data}/config, as a first start
     * would create it, so a test can edit a file before the host starts; returns that folder.
     */
    static Path shippedConfig(Path data) throws IOException {
        Path config = Files.createDirectories(data.resolve("config"));
        try (java.util.stream.Stream<Path> shipped = Files.list(Path.of("../config"))) {
            for (Path file : shipped.toList()) {
                Files.copy(file, config.resolve(file.getFileName().toString()));
            }
        }
        return config;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("engram.jar", "../launcher/target/engram.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("engram.jar not built: " + jar.toAbsolutePath());
        }
        return jar;
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static McpProcess start(Path dataDir, String... extraArgs) throws IOException {
        return start(dataDir, Map.of(), extraArgs);
    }

    /** Starts engram.jar with {@code --data dataDir} (none when null) and extra environment. */
    static McpProcess start(Path dataDir, Map<String, String> env, String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBin(), "-jar", jar().toString()));
        if (dataDir != null) {
            command.addAll(List.of("--data", dataDir.toString()));
        }
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        return new McpProcess(builder.start());
    }

    private void readStderr() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                stderr.append(line).append('\n');
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    @Override
    String stderr() {
        return stderr.toString();
    }

    /** Closes stdin (what an IDE does first) and waits for the exit code. */
    int closeStdinAndWait(Duration timeout) throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("engram did not exit within " + timeout + " after stdin closed\n" + stderr());
        }
        return process.exitValue();
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // already closed
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
