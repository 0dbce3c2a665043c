package io.engram.memory;

import io.engram.api.tool.Arguments;

/** Argument readings shared by the memory tools. */
final class MemoryArguments {

    private MemoryArguments() {
    }

    /**
     * An optional string argument; blank counts as absent, because models often fill optional
     * fields with "" and a filter on "" would hide everything.
     */
    static String optText(Arguments arguments, String name) {
        String value = arguments.optString(name, null);
        return value == null || value.isBlank() ? null : value;
    }

    /** The {@code namespace} argument, trimmed; null when absent or blank. */
    static String optNamespace(Arguments arguments) {
        String value = optText(arguments, "namespace");
        return value == null ? null : value.trim();
    }
}
