package io.engram.mcp.registry;

import com.google.gson.JsonObject;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A registered tool as the registry read it once when its service appeared: the descriptive
 * values, both schemas parsed, the service itself and its calls now running. Once removed it is
 * retired: no new call starts on it.
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
    /** Guarded by {@code this}. */
    private final Set<RunningCall> running = new HashSet<>();
    /** Guarded by {@code this}. */
    private boolean retired;

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

    /** Records a call as running; false once the tool is retired. */
    synchronized boolean callStarted(RunningCall call) {
        if (retired) {
            return false;
        }
        running.add(call);
        return true;
    }

    synchronized void callFinished(RunningCall call) {
        if (running.remove(call)) {
            notifyAll();
        }
    }

    synchronized int callsInFlight() {
        return running.size();
    }

    /**
     * Retires the tool and waits for its running calls to finish, at most the longest drain they
     * ask for (an interrupt ends the wait early).
     *
     * @return the calls still running
     */
    synchronized List<RunningCall> retire() {
        retired = true;
        long drainNanos = running.stream().mapToLong(call -> call.unloadDrain().toNanos()).max().orElse(0);
        long start = System.nanoTime();
        long remaining = drainNanos;
        try {
            while (!running.isEmpty() && remaining > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, remaining);
                remaining = drainNanos - (System.nanoTime() - start);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.copyOf(running);
    }

    @Override
    public String toString() {
        return name + " from " + origin;
    }
}
