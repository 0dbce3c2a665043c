package io.engram.example.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.api.tool.Arguments;
import io.engram.api.tool.InvalidArgumentException;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolContext;
import io.engram.testing.SchemaCheck;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimeToolsTest {

    private static final Instant NOON_UTC = Instant.parse("2025-07-14T12:00:00Z");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private final TimeNowTool now = new TimeNowTool(Clock.fixed(NOON_UTC, BERLIN));
    private final TimeConvertTool convert = new TimeConvertTool(BERLIN);

    private static final ToolContext CONTEXT = new ToolContext() {
        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void progress(double progress, Double total, String message) {
        }

        @Override
        public void log(LogLevel level, String message) {
        }
    };

    private static Map<String, Object> call(Tool tool, Map<String, Object> arguments) throws Exception {
        Map<String, Object> result = tool.call(new Arguments(arguments), CONTEXT).structuredContent();
        SchemaCheck.assertConforms(tool.outputSchema(), result);
        return result;
    }

    @Test
    void schemasStayInThePortableSubset() {
        for (Tool tool : new Tool[] {now, convert}) {
            SchemaCheck.assertPortableObjectSchema(tool.inputSchema());
            SchemaCheck.assertPortableObjectSchema(tool.outputSchema());
            assertTrue(tool.name().matches("[a-zA-Z0-9_-]{1,64}"), tool.name());
        }
    }

    @Test
    void nowIsInTheHostZoneByDefault() throws Exception {
        Map<String, Object> result = call(now, Map.of());
        assertEquals("2025-07-14T14:00:00+02:00", result.get("iso"), "Berlin is on summer time in July");
        assertEquals(NOON_UTC.toEpochMilli(), result.get("epochMs"));
        assertEquals("Europe/Berlin", result.get("timezone"));
        assertEquals("+02:00", result.get("offset"));
        assertEquals("Monday", result.get("dayOfWeek"));
    }

    @Test
    void nowInAnotherZoneIsTheSameInstant() throws Exception {
        Map<String, Object> tokyo = call(now, Map.of("timezone", "Asia/Tokyo"));
        assertEquals("2025-07-14T21:00:00+09:00", tokyo.get("iso"));
        assertEquals(NOON_UTC.toEpochMilli(), tokyo.get("epochMs"));
        assertEquals("Z", call(now, Map.of("timezone", "UTC")).get("offset"));
    }

    @Test
    void anUnknownZoneNamesTheArgument() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> call(now, Map.of("timezone", "Mars/Olympus")));
        assertEquals("timezone", e.field());
        assertTrue(e.getMessage().contains("Mars/Olympus"), e.getMessage());
    }

    @Test
    void convertsATimeWithOffsetIgnoringFrom() throws Exception {
        Map<String, Object> result = call(convert,
                Map.of("time", "2025-01-10T15:00:00-05:00", "from", "Asia/Tokyo", "to", "Asia/Tokyo"));
        assertEquals("2025-01-11T05:00:00+09:00", result.get("iso"));
        assertEquals("Saturday", result.get("dayOfWeek"));
    }

    @Test
    void readsALocalTimeInFromOrElseTheHostZone() throws Exception {
        Map<String, Object> newYork = call(convert,
                Map.of("time", "2025-01-10T15:00", "from", "America/New_York", "to", "UTC"));
        assertEquals("2025-01-10T20:00:00Z", newYork.get("iso"));
        Map<String, Object> host = call(convert, Map.of("time", "2025-01-10T15:00", "to", "UTC"));
        assertEquals("2025-01-10T14:00:00Z", host.get("iso"), "Berlin is UTC+1 in winter");
    }

    @Test
    void followsDaylightSavingTime() throws Exception {
        // New York switches to summer time on 9 March 2025; Berlin only on 30 March.
        assertEquals("2025-03-08T21:00:00+01:00", call(convert,
                Map.of("time", "2025-03-08T15:00", "from", "America/New_York", "to", "Europe/Berlin")).get("iso"));
        assertEquals("2025-03-10T20:00:00+01:00", call(convert,
                Map.of("time", "2025-03-10T15:00", "from", "America/New_York", "to", "Europe/Berlin")).get("iso"));
    }

    @Test
    void badArgumentsNameTheField() {
        assertEquals("time", assertThrows(InvalidArgumentException.class,
                () -> call(convert, Map.of("time", "tomorrow at noon", "to", "UTC"))).field());
        assertEquals("to", assertThrows(InvalidArgumentException.class,
                () -> call(convert, Map.of("time", "2025-01-10T15:00"))).field());
        assertEquals("from", assertThrows(InvalidArgumentException.class,
                () -> call(convert, Map.of("time", "2025-01-10T15:00", "from", "Nowhere", "to", "UTC"))).field());
    }
}
