package io.engram.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;

/**
 * {@code java -jar engram.jar import FILE} and {@code export FILE}: the reference memory server's
 * memory.jsonl in and out of a namespace, from the command line. A {@link CommandHost} runs engram.compat's
 * {@code import_memory_file} or {@code export_memory_file} tool, with the family switched on for that run
 * whatever config/bundles.list says, next to any hosts running on the data folder. The result goes to
 * stdout as plain text (to stderr when the exported file itself goes to stdout), logs to stderr.
 */
final class MemoryFileCommand {

    static final String IMPORT_TOOL = "import_memory_file";
    static final String EXPORT_TOOL = "export_memory_file";
    /** The bundles the two tools need beyond the base, started for the run when bundles.list leaves them out. */
    static final List<String> REQUIRED_BUNDLES = List.of("engram.kg", "engram.compat", "engram.lmdb", "engram.storage");
    /** The file argument that stands for stdin (import) or stdout (export). */
    static final String STANDARD_STREAM = "-";
    static final String NAMESPACE_VARIABLE = "ENGRAM_NAMESPACE";

    /** Why the command failed, for the user: printed after "engram: ", exit code 1. */
    static final class CommandFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        CommandFailedException(String message) {
            super(message);
        }
    }

    /**
     * The namespace an IDE session started here would get without roots, which the command uses unless
     * --namespace or the namespace setting of engram.compat.cfg names another.
     *
     * @param name   the namespace
     * @param source where it comes from, for the report
     */
    record DefaultNamespace(String name, String source) {

        /** As engram.mcp's SessionNamespace: ENGRAM_NAMESPACE when set, else the working directory. */
        static DefaultNamespace of(Map<String, String> env, Path workingDirectory) {
            String named = env.get(NAMESPACE_VARIABLE);
            if (named != null && !named.isBlank()) {
                return new DefaultNamespace(named.trim(), NAMESPACE_VARIABLE);
            }
            return new DefaultNamespace(workingDirectory.toAbsolutePath().normalize().toString(),
                    "the working directory");
        }
    }

    private final LauncherOptions options;
    private final DefaultNamespace defaultNamespace;
    private final Path workingDirectory;

    MemoryFileCommand(LauncherOptions options, Map<String, String> env, Path workingDirectory) {
        if (!options.action().takesFile()) {
            throw new IllegalArgumentException("not an import or export: " + options.action());
        }
        this.options = options;
        this.defaultNamespace = DefaultNamespace.of(env, workingDirectory);
        this.workingDirectory = workingDirectory;
    }

    /** Runs the command; returns the exit code. Failures are reported on {@code stderr}. */
    int run(InputStream stdin, OutputStream stdout, PrintStream stderr)
            throws IOException, BundleException, InterruptedException {
        PrintStream out = new PrintStream(stdout, false, StandardCharsets.UTF_8);
        try {
            if (options.action() == LauncherOptions.Action.IMPORT) {
                importFile(stdin, out);
            } else {
                exportFile(stdout, options.file().equals(STANDARD_STREAM) ? stderr : out, stderr);
            }
            return 0;
        } catch (CommandFailedException e) {
            stderr.println("engram: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
        }
    }

    private void importFile(InputStream stdin, PrintStream report)
            throws IOException, BundleException, InterruptedException, CommandFailedException {
        boolean fromStdin = options.file().equals(STANDARD_STREAM);
        Path file;
        if (fromStdin) {
            file = Files.createTempFile("engram-import-", ".jsonl");
            try (OutputStream copy = Files.newOutputStream(file)) {
                stdin.transferTo(copy);
            }
        } else {
            file = absolute(options.file());
            if (Files.isDirectory(file)) {
                throw new CommandFailedException(file + " is a folder; give the memory.jsonl file inside it");
            }
            if (!Files.isRegularFile(file)) {
                throw new CommandFailedException("no file at " + file + " (the reference server's memory.jsonl is"
                        + " its MEMORY_FILE_PATH; by default it sits beside its dist/index.js)");
            }
        }
        try {
            Map<String, Object> result = call(IMPORT_TOOL, file);
            printImport(result, fromStdin ? "stdin" : file.toString(), report);
        } finally {
            if (fromStdin) {
                Files.deleteIfExists(file);
            }
        }
    }

    private void exportFile(OutputStream stdout, PrintStream report, PrintStream note)
            throws IOException, BundleException, InterruptedException, CommandFailedException {
        boolean toStdout = options.file().equals(STANDARD_STREAM);
        Path file = toStdout ? Files.createTempFile("engram-export-", ".jsonl") : absolute(options.file());
        try {
            Map<String, Object> result = call(EXPORT_TOOL, file);
            if (toStdout) {
                Files.copy(file, stdout);
                stdout.flush();
            }
            report.printf("Exported namespace %s%s to %s: %s entities, %s relations%n", result.get("namespace"),
                    source(result), toStdout ? "stdout" : result.get("path"), result.get("entities"),
                    result.get("relations"));
            if (count(result, "entities") == 0 && count(result, "relations") == 0) {
                note.println("engram: namespace " + result.get("namespace") + " holds no graph; an import made"
                        + " elsewhere went to another namespace (see --namespace)");
            }
        } finally {
            if (toStdout) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** A path as the user means it: relative to the working directory of the command. */
    private Path absolute(String path) throws CommandFailedException {
        try {
            return workingDirectory.resolve(path).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            throw new CommandFailedException("not a file path: " + path + " (" + e.getMessage() + ")");
        }
    }

    /** Starts a host, calls the tool on the file and returns its structured result. */
    private Map<String, Object> call(String toolName, Path file)
            throws IOException, BundleException, InterruptedException, CommandFailedException {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("path", file.toString());
        if (options.namespace() != null) {
            arguments.put("namespace", options.namespace());
        }
        try (CommandHost host = CommandHost.start(options.dataDir(), options.configDir(), REQUIRED_BUNDLES)) {
            BundleContext system = host.context();
            ServiceReference<?> tool = ToolServices.find(system, toolName);
            if (tool == null) {
                throw new CommandFailedException("the " + toolName + " tool did not start; " + bundleStates(system)
                        + " (see the log above)");
            }
            ToolServices.Result result;
            try {
                result = ToolServices.call(system, tool, arguments, defaultNamespace.name());
            } catch (ToolServices.CallFailedException e) {
                throw new CommandFailedException(options.action().command() + " failed: " + e.getMessage()
                        + advice(e, toolName));
            }
            if (result.error() || result.structured() == null) {
                throw new CommandFailedException(options.action().command() + " failed: " + result.text());
            }
            return result.structured();
        }
    }

    /** What the user can do about a failed call. */
    private static String advice(ToolServices.CallFailedException failure, String toolName) {
        if (failure.causedBy(ToolServices.INVALID_ARGUMENT_CLASS)) {
            return "";
        }
        String advice = toolName.equals(IMPORT_TOOL) ? "; the records merged before the failure stay, and importing"
                + " again is safe" : "";
        if (failure.causedBy(ToolServices.STORE_UNAVAILABLE_CLASS)) {
            advice += " (the store did not open in time; 'java -jar engram.jar status' names the processes that"
                    + " have it open)";
        }
        return advice;
    }

    private static String bundleStates(BundleContext system) {
        StringBuilder states = new StringBuilder();
        for (String name : REQUIRED_BUNDLES) {
            Bundle bundle = system.getBundle(EngramHost.LOCATION_PREFIX + name);
            states.append(states.length() == 0 ? "" : ", ").append(name).append(' ')
                    .append(bundle == null ? "not installed" : StatusCommand.state(bundle.getState()));
        }
        return states.toString();
    }

    /** Where the namespace the tool used came from, as " (source)". */
    private String source(Map<String, Object> result) {
        if (options.namespace() != null) {
            return "";
        }
        Object used = result.get("namespace");
        return defaultNamespace.name().equals(used) ? " (from " + defaultNamespace.source() + ")"
                : " (the namespace setting of engram.compat.cfg)";
    }

    private void printImport(Map<String, Object> result, String from, PrintStream out) {
        out.printf("Imported %s (%s) into namespace %s%s%n", from, result.get("format"), result.get("namespace"),
                source(result));
        out.printf("  records merged:       %s%n", result.get("records"));
        out.printf("  entities created:     %s%n", result.get("entitiesCreated"));
        out.printf("  observations added:   %s%n", result.get("observationsAdded"));
        out.printf("  relations created:    %s%n", result.get("relationsCreated"));
        out.printf("  records not readable: %s%n", result.get("errorCount"));
        List<?> errors = result.get("errors") instanceof List<?> list ? list : List.of();
        for (Object error : errors) {
            if (error instanceof Map<?, ?> problem) {
                Object where = problem.get("line");
                String place = String.valueOf(where).chars().allMatch(Character::isDigit) ? "line " + where
                        : String.valueOf(where);
                out.printf("    %s: %s%n", place, problem.get("message"));
            }
        }
        long count = count(result, "errorCount");
        if (count > errors.size()) {
            out.printf("    ... and %d more (the first %d are listed)%n", count - errors.size(), errors.size());
        }
    }

    private static long count(Map<String, Object> result, String key) {
        return result.get(key) instanceof Number n ? n.longValue() : -1;
    }
}
