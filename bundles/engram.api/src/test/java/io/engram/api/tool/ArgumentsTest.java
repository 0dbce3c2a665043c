package io.engram.api.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Typed access to decoded JSON arguments; every problem names its field. */
class ArgumentsTest {

    private static Arguments of(Object... pairs) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return new Arguments(values);
    }

    private static String problem(Runnable access) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, access::run);
        return e.field() + ": " + e.getMessage();
    }

    @Test
    void requiredStringsMustBePresentAndNotBlank() {
        assertEquals("hi", of("q", "hi").string("q"));
        assertEquals("q: invalid argument 'q': required", problem(() -> of().string("q")));
        assertEquals("q: invalid argument 'q': must not be empty", problem(() -> of("q", "  ").string("q")));
        assertEquals("q: invalid argument 'q': expected a string, got integer", problem(() -> of("q", 3L).string("q")));
    }

    @Test
    void integersAcceptWholeNumbersOnly() {
        assertEquals(7L, of("n", 7L).optLong("n"));
        assertEquals(7L, of("n", 7.0).optLong("n"), "2.0 is an integer in JSON Schema too");
        assertNull(of().optLong("n"));
        assertEquals(10, of().optInt("limit", 10, 1, 100));
        assertEquals("n: invalid argument 'n': expected an integer, got 1.5", problem(() -> of("n", 1.5).optLong("n")));
        assertEquals("limit: invalid argument 'limit': must be between 1 and 100, got 500",
                problem(() -> of("limit", 500L).optInt("limit", 10, 1, 100)));
    }

    @Test
    void objectsListsAndBooleansAreTyped() {
        assertEquals(Map.of("a", 1L), of("m", Map.of("a", 1L)).optObject("m"));
        assertEquals(List.of("x"), of("l", List.of("x")).optList("l"));
        assertEquals(true, of("b", true).optBoolean("b", false));
        assertEquals("m: invalid argument 'm': expected an object, got array",
                problem(() -> of("m", List.of()).optObject("m")));
        assertEquals("b: invalid argument 'b': expected a boolean, got string",
                problem(() -> of("b", "yes").optBoolean("b", false)));
    }

    @Test
    void nullCountsAsAbsent() {
        assertEquals("fallback", of("s", null).optString("s", "fallback"));
        assertEquals(false, of("s", null).has("s"));
    }
}
