package io.engram.example.time;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import java.time.Clock;
import java.time.ZonedDateTime;
import org.osgi.service.component.annotations.Component;

/** {@code time_now}: the current date and time in a given time zone (the host's by default). */
@Component(service = Tool.class)
public class TimeNowTool extends AbstractTool {

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "timezone": {"type": "string", "description": "Time zone: %s. Default: the host's time zone."}
              }
            }
            """.formatted(Times.ZONE_HELP);

    private static final String DESCRIPTION = "Current date, time and day of the week, in the host's time zone"
            + " or the one given. Use it instead of guessing what day or time it is.";

    private final Clock clock;

    /** The tool on the system clock; used by Declarative Services. */
    public TimeNowTool() {
        this(Clock.systemDefaultZone());
    }

    TimeNowTool(Clock clock) {
        super("time_now", "Current time", DESCRIPTION, INPUT_SCHEMA, Times.MOMENT_SCHEMA, ToolAnnotations.readOnly());
        this.clock = clock;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        var zone = Times.zone("timezone", arguments.optString("timezone", null), clock.getZone());
        return ToolResult.structured(Times.describe(ZonedDateTime.now(clock.withZone(zone))));
    }
}
