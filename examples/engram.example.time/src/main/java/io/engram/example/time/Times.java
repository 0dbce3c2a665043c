package io.engram.example.time;

import io.engram.api.tool.InvalidArgumentException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What both time tools share: reading a time zone argument and describing an instant in a zone. */
final class Times {

    /** Output schema of both tools: one moment, seen in one time zone. */
    static final String MOMENT_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "iso": {"type": "string", "description": "ISO-8601 date-time with offset, e.g. 2025-03-01T10:15:30+01:00."},
                "epochMs": {"type": "integer", "description": "Milliseconds since 1970-01-01T00:00:00Z."},
                "timezone": {"type": "string", "description": "The time zone the date-time is shown in."},
                "offset": {"type": "string", "description": "Offset from UTC at that moment, e.g. +01:00 or Z."},
                "dayOfWeek": {"type": "string", "description": "Day of the week in English, e.g. Saturday."}
              },
              "required": ["iso", "epochMs", "timezone", "offset", "dayOfWeek"]
            }
            """;

    static final String ZONE_HELP =
            "an IANA time zone such as Europe/Paris or America/New_York, UTC, or an offset such as +02:00";

    private Times() {
    }

    /** The zone named by the argument, or {@code fallback} when it is absent. */
    static ZoneId zone(String field, String value, ZoneId fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return ZoneId.of(value.trim());
        } catch (DateTimeException e) {
            throw new InvalidArgumentException(field, "unknown time zone '" + value + "'; use " + ZONE_HELP);
        }
    }

    static Map<String, Object> describe(ZonedDateTime time) {
        Map<String, Object> moment = new LinkedHashMap<>();
        moment.put("iso", time.toOffsetDateTime().truncatedTo(ChronoUnit.MILLIS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        moment.put("epochMs", time.toInstant().toEpochMilli());
        moment.put("timezone", time.getZone().getId());
        moment.put("offset", time.getOffset().getId());
        moment.put("dayOfWeek", time.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        return moment;
    }
}
