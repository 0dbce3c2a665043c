package io.engram.mcp.registry;

/** A tool service whose name or schemas break the rules, so it is not listed. */
final class InvalidToolException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidToolException(String problem) {
        super(problem);
    }
}
