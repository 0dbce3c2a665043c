package io.engram.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The command that runs {@code main} in another JVM on this test's class path, able to open a store. */
final class PeerJvm {

    /** {@link LmdbBuffers#JVM_OPTIONS}, one argument each. */
    static final List<String> STORE_OPTIONS = List.of(LmdbBuffers.JVM_OPTIONS.split(" "));

    private PeerJvm() {
    }

    static List<String> command(Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(STORE_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(Arrays.asList(args));
        return command;
    }
}
