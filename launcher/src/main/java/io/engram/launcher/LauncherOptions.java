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
 */
record LauncherOptions(Path dataDir, Path configDir, Action action) {

    enum Action { SERVE, STATUS, HELP, VERSION }

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
                case "status" -> {
                    if (action == Action.SERVE) {
                        action = Action.STATUS;
                    }
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
                default -> throw new UsageException("unknown option: " + args.get(i));
            }
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
        return new LauncherOptions(data, config.toAbsolutePath().normalize(), action);
    }

    static String usage() {
        return """
                Usage: java -jar engram.jar [options]
                       java -jar engram.jar status [options]

                Engram: a local, durable memory for AI coding assistants, served over the
                Model Context Protocol on stdin/stdout. An IDE starts it as a child process.

                Commands:
                  status         print the hosts running on the data folder, the bundles
                                 and their state, the tools and the bundle serving each,
                                 and the effective config; then exit. Works while other
                                 hosts run on the same data folder.

                Options:
                  --data DIR     data folder (store, deploy folder, default config);
                                 default $ENGRAM_DATA, else ~/.engram
                  --config DIR   config folder; default $ENGRAM_CONFIG, else DIR/config of the
                                 data folder (created with commented defaults on first run)
                  --help         show this help and exit
                  --version      show the version and exit

                Environment:
                  ENGRAM_LOG     stderr log level: error, warn, info (default), debug, trace
                  ENGRAM_DATA, ENGRAM_CONFIG   as --data and --config

                Engram stops when stdin closes, or on SIGTERM / SIGINT (Ctrl-C).
                """;
    }
}
