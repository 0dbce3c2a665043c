package io.engram.launcher;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code java -jar engram.jar}: parses options, gives stdout to the protocol alone, starts
 * the OSGi host and stops it cleanly on stdin EOF, SIGTERM or SIGINT. With {@code status}, prints
 * the {@link StatusCommand} report on stdout instead and exits; with {@code import} or {@code export},
 * runs the {@link MemoryFileCommand} and exits.
 */
public final class Main {

    /** Exit code for a command line that cannot be understood. */
    static final int EXIT_USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        // Take the real streams before anything can print: stdout is for protocol messages only.
        OutputStream protocolOut = new FileOutputStream(FileDescriptor.out);
        InputStream protocolIn = new FileInputStream(FileDescriptor.in);
        PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code;
        try {
            code = run(args, protocolIn, protocolOut, stderr);
        } catch (Throwable t) {
            // Felix's threads are not daemons: without an explicit exit a failed start would hang.
            stderr.println("engram: fatal error: " + t);
            t.printStackTrace(stderr);
            code = 1;
        }
        stderr.flush();
        System.exit(code);
    }

    private static int run(String[] args, InputStream protocolIn, OutputStream protocolOut, PrintStream stderr)
            throws Exception {
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(Arrays.asList(args), System.getenv(), Path.of(System.getProperty("user.home")));
        } catch (LauncherOptions.UsageException e) {
            stderr.println("engram: " + e.getMessage());
            stderr.println("Try 'java -jar engram.jar --help' for the options.");
            return EXIT_USAGE;
        }
        switch (options.action()) {
            case HELP -> {
                PrintStream out = new PrintStream(protocolOut, true, StandardCharsets.UTF_8);
                out.print(LauncherOptions.usage());
                out.flush();
                return 0;
            }
            case VERSION -> {
                PrintStream out = new PrintStream(protocolOut, true, StandardCharsets.UTF_8);
                out.println("engram " + version());
                out.flush();
                return 0;
            }
            case STATUS -> {
                return status(options, protocolOut, stderr);
            }
            case IMPORT, EXPORT -> {
                routeStrayOutputToStderr(stderr);
                return new MemoryFileCommand(options, System.getenv(), Path.of(System.getProperty("user.dir")))
                        .run(protocolIn, protocolOut, stderr);
            }
            default -> {
                return serve(options, protocolIn, protocolOut, stderr);
            }
        }
    }

    private static int serve(LauncherOptions options, InputStream protocolIn, OutputStream protocolOut,
            PrintStream stderr) throws Exception {
        routeStrayOutputToStderr(stderr);
        Logger log = Logger.getLogger(Main.class.getName());
        if (System.console() != null) {
            stderr.print(terminalBanner());
        }
        log.info("Engram " + version() + " starting; data " + options.dataDir() + ", config " + options.configDir());

        long started = System.nanoTime();
        EngramHost host = EngramHost.start(options.dataDir(), options.configDir(), protocolIn, protocolOut);
        ShutdownSignals signals = ShutdownSignals.install(host);
        log.info("Engram started in " + (System.nanoTime() - started) / 1_000_000 + " ms");

        host.awaitStop();
        boolean clean = host.stop(Duration.ofMillis(ShutdownSignals.STOP_BUDGET_MS));
        if (!clean) {
            long more = ShutdownSignals.STOP_LIMIT_MS - ShutdownSignals.STOP_BUDGET_MS;
            log.warning("Shutdown is taking longer than " + ShutdownSignals.STOP_BUDGET_MS
                    + " ms; waiting up to " + more + " ms more for the bundles still stopping");
            clean = host.stop(Duration.ofMillis(more));
        }
        if (!clean) {
            log.warning("Shutdown did not finish in time; exiting anyway (committed writes are on disk)");
            return 1;
        }
        log.info("Shutdown complete");
        signals.disarm();
        return 0;
    }

    /**
     * A stray println in any bundle lands on stderr with the logs, as stdout carries only the protocol
     * (or the status report); stdin is reachable only through the transport.
     */
    private static void routeStrayOutputToStderr(PrintStream stderr) {
        System.setOut(stderr);
        System.setErr(stderr);
        System.setIn(InputStream.nullInputStream());
        StderrLogging.install(System.getenv("ENGRAM_LOG"), stderr);
    }

    private static int status(LauncherOptions options, OutputStream stdout, PrintStream stderr) throws Exception {
        routeStrayOutputToStderr(stderr);
        PrintStream report = new PrintStream(stdout, false, StandardCharsets.UTF_8);
        StatusCommand.report(options.dataDir(), options.configDir(), report);
        report.flush();
        return 0;
    }

    private static String terminalBanner() {
        return """
                Engram %s: a local memory server for AI coding assistants, speaking MCP on stdin/stdout.
                This is a terminal, not an IDE. IDEs launch Engram as a child process:
                    command: java   args: ["-jar", "%s"]
                (see README.md for VS Code, Cursor, Cline/Roo/Kilo Code and Claude Desktop).
                It is serving now: type JSON-RPC lines, or press Ctrl-D (Ctrl-Z then Enter on Windows) or Ctrl-C to quit.
                """.formatted(version(), jarPath());
    }

    private static String jarPath() {
        try {
            return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            return "engram.jar";
        }
    }

    static String version() {
        Properties props = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("/engram-version.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (Exception e) {
            Logger.getLogger(Main.class.getName()).log(Level.FINE, "no version resource", e);
        }
        return props.getProperty("version", "unknown");
    }
}
