package io.engram.api.tool;

import java.util.Objects;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link Tool} whose description is fixed at construction, so a tool class holds only its
 * constants and its {@link #call}. Subclass it from a DS component:
 *
 * <pre>{@code
 * @Component(service = Tool.class)
 * public class NoteAddTool extends AbstractTool {
 *     public NoteAddTool() {
 *         super("note_add", "Add note", "Saves a note.", INPUT_SCHEMA, null, ToolAnnotations.additive(false));
 *     }
 *     public ToolResult call(Arguments arguments, ToolContext context) { ... }
 * }
 * }</pre>
 */
@ConsumerType
public abstract class AbstractTool implements Tool {

    private final String name;
    private final String title;
    private final String description;
    private final String inputSchema;
    private final String outputSchema;
    private final ToolAnnotations annotations;

    /**
     * @param outputSchema null when the tool returns text only
     * @param title        null for none
     */
    protected AbstractTool(String name, String title, String description, String inputSchema, String outputSchema,
            ToolAnnotations annotations) {
        this.name = Objects.requireNonNull(name, "name");
        this.title = title;
        this.description = Objects.requireNonNull(description, "description");
        this.inputSchema = Objects.requireNonNull(inputSchema, "inputSchema");
        this.outputSchema = outputSchema;
        this.annotations = Objects.requireNonNull(annotations, "annotations");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String title() {
        return title;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final String inputSchema() {
        return inputSchema;
    }

    @Override
    public final String outputSchema() {
        return outputSchema;
    }

    @Override
    public final ToolAnnotations annotations() {
        return annotations;
    }
}
