package io.engram.example.time;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.osgi.service.component.annotations.Component;

/** {@code time_convert}: the same moment shown in another time zone. */
@Component(service = Tool.class)
public class TimeConvertTool extends AbstractTool {

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "time": {"type": "string", "description": "ISO-8601 date-time, with an offset (2025-03-01T10:00:00+01:00, 2025-03-01T09:00Z) or without one (2025-03-01T10:00)."},
                "from": {"type": "string", "description": "Time zone of a time without offset: %1$s. Default: the host's time zone."},
                "to": {"type": "string", "description": "Time zone to convert to: %1$s."}
              },
              "required": ["time", "to"]
            }
            """.formatted(Times.ZONE_HELP);

    private static final String DESCRIPTION = "Convert a date-time to another time zone, e.g. to tell what"
            + " 15:00 in New York is in Tokyo. Daylight saving time is taken into account.";

    private final ZoneId hostZone;

    /** The tool with the host's time zone as default 'from'; used by Declarative Services. */
    public TimeConvertTool() {
        this(Clock.systemDefaultZone().getZone());
    }

    TimeConvertTool(ZoneId hostZone) {
        super("time_convert", "Convert time zone", DESCRIPTION, INPUT_SCHEMA, Times.MOMENT_SCHEMA,
                ToolAnnotations.readOnly());
        this.hostZone = hostZone;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        String time = arguments.string("time").trim();
        ZoneId from = Times.zone("from", arguments.optString("from", null), hostZone);
        ZoneId to = Times.zone("to", arguments.string("to"), null);
        return ToolResult.structured(Times.describe(parse(time, from).withZoneSameInstant(to)));
    }

    /** A time with an offset or zone stands for itself; one without is read in {@code from}. */
    private static ZonedDateTime parse(String time, ZoneId from) {
        try {
            return ZonedDateTime.parse(time, DateTimeFormatter.ISO_DATE_TIME);
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(time, DateTimeFormatter.ISO_LOCAL_DATE_TIME).atZone(from);
            } catch (DateTimeParseException e) {
                throw new InvalidArgumentException("time",
                        "not an ISO-8601 date-time: '" + time + "' (expected e.g. 2025-03-01T10:00 or 2025-03-01T10:00:00+01:00)");
            }
        }
    }
}
