package io.engram.mcp.registry;

import com.google.gson.JsonObject;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A registered tool as the registry read it once when its service appeared: the descriptive
 * values, both schemas parsed, the service itself and the count of its calls now running.
 */
public final class ToolDescriptor {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private final String name;
    private final String title;
    private final String description;
    private final JsonObject inputSchema;
    private final JsonObject outputSchema;
    private final ToolAnnotations annotations;
    private final Tool tool;
    private final ToolOrigin origin;
    private final AtomicInteger callsInFlight = new AtomicInteger();

    private ToolDescriptor(Tool tool, ToolOrigin origin, String name, String title, String description,
            JsonObject inputSchema, JsonObject outputSchema, ToolAnnotations annotations) {
        this.tool = tool;
        this.origin = origin;
        this.name = name;
        this.title = title;
        this.description = description;
        this.inputSchema = inputSchema;
        this.outputSchema = outputSchema;
        this.annotations = annotations;
    }

    /** Reads and checks a tool's description; the tool's own methods are not called again afterwards. */
    static ToolDescriptor read(Tool tool, ToolOrigin origin) throws InvalidToolException {
        String name;
        String title;
        String description;
        String inputSchema;
        String outputSchema;
        ToolAnnotations annotations;
        try {
            name = tool.name();
            title = tool.title();
            description = tool.description();
            inputSchema = tool.inputSchema();
            outputSchema = tool.outputSchema();
            annotations = tool.annotations();
        } catch (RuntimeException e) {
            throw new InvalidToolException("describing the tool failed: " + e);
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidToolException("name " + (name == null ? "null" : "'" + name + "'")
                    + " does not match [a-zA-Z0-9_-]{1,64}");
        }
        if (description == null || description.isBlank()) {
            throw new InvalidToolException("tool " + name + " has no description");
        }
        JsonObject input = ToolSchemas.parseObjectSchema(inputSchema, "tool " + name + ": input schema");
        JsonObject output = outputSchema == null ? null
                : ToolSchemas.parseObjectSchema(outputSchema, "tool " + name + ": output schema");
        return new ToolDescriptor(tool, origin, name, title, description, input, output,
                annotations == null ? ToolAnnotations.NONE : annotations);
    }

    /** Canonical name, {@code family_action}. */
    public String name() {
        return name;
    }

    /** Human-readable title, or null. */
    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    /** The input schema; do not modify. */
    public JsonObject inputSchema() {
        return inputSchema;
    }

    /** The output schema, or null when the tool returns text only; do not modify. */
    public JsonObject outputSchema() {
        return outputSchema;
    }

    public ToolAnnotations annotations() {
        return annotations;
    }

    /** The tool service to call. */
    public Tool tool() {
        return tool;
    }

    public ToolOrigin origin() {
        return origin;
    }

    AtomicInteger callCounter() {
        return callsInFlight;
    }

    @Override
    public String toString() {
        return name + " from " + origin;
    }
}
