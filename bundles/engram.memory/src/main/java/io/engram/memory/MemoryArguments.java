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
}
