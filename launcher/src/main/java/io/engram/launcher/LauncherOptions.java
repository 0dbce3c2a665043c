package io.engram.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the command line and environment ask for. Options win over environment variables,
 * which win over defaults.
 *
 * @param dataDir   where the store and runtime files live
 * @param configDir where the admin's config files live
 * @param action    what to do
 * @param file      the memory file of {@code import} and {@code export} as given ({@code -} for
 *                  stdin or stdout); null for the other actions
 * @param namespace the {@code --namespace} of {@code import} and {@code export}; null when not given
 */
record LauncherOptions(Path dataDir, Path configDir, Action action, String file, String namespace) {

    enum Action {
        SERVE, STATUS, IMPORT, EXPORT, HELP, VERSION;

        /** The command word on the command line, or null for an action that has none. */
        String command() {
            return switch (this) {
                case STATUS -> "status";
                case IMPORT -> "import";
                case EXPORT -> "export";
                default -> null;
            };
        }

        boolean takesFile() {
            return this == IMPORT || this == EXPORT;
        }

        static Action ofCommand(String word) {
            for (Action action : values()) {
                if (word.equals(action.command())) {
                    return action;
                }
            }
            return null;
        }
    }

    /** A command line that cannot be understood; its message is meant for the user. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static LauncherOptions parse(List<String> args, Map<String, String> env, Path userHome) throws UsageException {
        Path data = null;
        Path config = null;
        Action action = Action.SERVE;
        Action command = null;
        String file = null;
        String namespace = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String inlineValue = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                inlineValue = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--help", "-h" -> action = Action.HELP;
                case "--version", "-V" -> {
                    if (action != Action.HELP) {
                        action = Action.VERSION;
                    }
                }
                case "status", "import", "export" -> {
                    if (command != null && command.takesFile() && file == null) {
                        file = arg; // import status: a file named status
                    } else if (command != null) {
                        throw new UsageException("one command at a time, got " + command.command() + " and " + arg);
                    } else {
                        command = Action.ofCommand(arg);
                    }
                }
                case "--namespace" -> {
                    String value = inlineValue;
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("option --namespace needs a name, e.g. --namespace global");
                        }
                        value = args.get(++i);
                    }
                    if (value.isBlank()) {
                        throw new UsageException("option --namespace needs a name, got an empty value");
                    }
                    namespace = value.strip();
                }
                case "--data", "--config" -> {
                    String value = inlineValue;
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("option " + arg + " needs a folder, e.g. " + arg + " ~/.engram");
                        }
                        value = args.get(++i);
                    }
                    if (value.isBlank()) {
                        throw new UsageException("option " + arg + " needs a folder, got an empty value");
                    }
                    if (arg.equals("--data")) {
                        data = Path.of(value);
                    } else {
                        config = Path.of(value);
                    }
                }
                default -> {
                    if (command != null && command.takesFile() && file == null
                            && (arg.equals("-") || !arg.startsWith("-"))) {
                        file = arg;
                    } else {
                        throw new UsageException("unknown option: " + args.get(i));
                    }
                }
            }
        }
        if (command != null && action == Action.SERVE) {
            action = command;
        }
        if (action.takesFile() && file == null) {
            throw new UsageException(action.command() + " needs a file: java -jar engram.jar " + action.command()
                    + " FILE [--namespace NS]");
        }
        if (namespace != null && (action == Action.SERVE || action == Action.STATUS)) {
            throw new UsageException("option --namespace applies to import and export only (a server's namespace"
                    + " comes from the client's workspace or ENGRAM_NAMESPACE)");
        }
        if (data == null) {
            String fromEnv = env.get("ENGRAM_DATA");
            data = fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : userHome.resolve(".engram");
        }
        data = data.toAbsolutePath().normalize();
        if (config == null) {
            String fromEnv = env.get("ENGRAM_CONFIG");
            config = fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : data.resolve("config");
        }
        return new LauncherOptions(data, config.toAbsolutePath().normalize(), action, file, namespace);
    }

    static String usage() {
        return """
                Usage: java -jar engram.jar [options]
                       java -jar engram.jar status [options]
                       java -jar engram.jar import FILE [--namespace NS] [options]
                       java -jar engram.jar export FILE [--namespace NS] [options]

                Engram: a local, durable memory for AI coding assistants, served over the
                Model Context Protocol on stdin/stdout. An IDE starts it as a child process.

                Commands:
                  status         print the hosts running on the data folder, the bundles
                                 and their state, the tools and the bundle serving each,
                                 and the effective config; then exit. Works while other
                                 hosts run on the same data folder.
                  import FILE    merge the reference memory server's memory.jsonl (or its
                                 older memory.json) into a namespace; safe to repeat.
                                 Prints the counts and each record that could not be
                                 read, with its line; the rest are imported. FILE - reads
                                 stdin.
                  export FILE    write a namespace's graph as a memory.jsonl, which the
                                 reference server and import read. FILE - writes stdout.
                  Both work while IDE hosts run on the same data folder, and do so even
                  when config/bundles.list switches engram.compat off.

                Options:
                  --namespace NS for import and export: the namespace to use; default the
                                 namespace setting of engram.compat.cfg, else
                                 $ENGRAM_NAMESPACE, else the working directory (the
                                 namespace an IDE session started here gets)
                  --data DIR     data folder (store, deploy folder, default config);
                                 default $ENGRAM_DATA, else ~/.engram
                  --config DIR   config folder; default $ENGRAM_CONFIG, else DIR/config of the
                                 data folder (created with commented defaults on first run)
                  --help         show this help and exit
                  --version      show the version and exit

                Environment:
                  ENGRAM_LOG     stderr log level: error, warn, info (default), debug, trace
                  ENGRAM_DATA, ENGRAM_CONFIG   as --data and --config
                  ENGRAM_NAMESPACE             the namespace of import and export when
                                 neither --namespace nor engram.compat.cfg names one

                Engram stops when stdin closes, or on SIGTERM / SIGINT (Ctrl-C).
                """;
    }
}
