package io.engram.api.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every value either comes from the file and is valid, or is the last good one; each rejection is one warning. */
class ConfigReaderTest {

    enum Mode { FAST, SAFE }

    @interface Settings {
        int pageSize() default 100;

        long timeoutMs() default 5000;

        double backoff() default 1.5;

        boolean enabled() default true;

        String path() default "store";

        Mode mode() default Mode.SAFE;

        int defaultLimit() default 10;

        int maxLimit() default 100;

        String[] tags() default {"a", "b"};

        int max_entries() default 7;
    }

    private static final String FILE = Path.of("/home/u/.engram/config/engram.test.cfg").toUri().toString();
    private static final ConfigReader<Settings> READER = ConfigReader.of(Settings.class)
            .atLeast("pageSize", 1)
            .atLeast("timeoutMs", 0)
            .atLeast("backoff", 1.0)
            .atLeast("defaultLimit", 1)
            .atLeast("maxLimit", "defaultLimit");

    @RegisterExtension
    final WarningCapture capture = new WarningCapture(ConfigReader.class);

    /**
     * What DS injects for the file's {@code values}: the properties (the declared defaults, then the
     * file's strings, then the framework's dotted keys) and the annotation instance converting them as
     * DS's coercion rules do, throwing when a value does not convert.
     */
    private static Map<String, Object> properties(Object... pairs) {
        Map<String, Object> properties = new HashMap<>();
        for (Method element : Settings.class.getDeclaredMethods()) {
            properties.put(element.getName().replace('_', '.'), element.getDefaultValue());
        }
        properties.put("service.pid", "engram.test");
        properties.put("component.name", "io.engram.test.Component");
        properties.put("felix.fileinstall.filename", FILE);
        for (int i = 0; i < pairs.length; i += 2) {
            properties.put((String) pairs[i], pairs[i + 1]);
        }
        return properties;
    }

    private static Settings fromDs(Map<String, Object> properties) {
        return (Settings) Proxy.newProxyInstance(Settings.class.getClassLoader(), new Class<?>[] {Settings.class},
                (proxy, method, args) -> {
                    Object raw = properties.get(method.getName().replace('_', '.'));
                    Class<?> type = method.getReturnType();
                    if (!(raw instanceof String text) || type == String.class) {
                        return raw;
                    }
                    try {
                        if (type == int.class) {
                            return Integer.parseInt(text);
                        } else if (type == long.class) {
                            return Long.parseLong(text);
                        } else if (type == double.class) {
                            return Double.parseDouble(text);
                        } else if (type == boolean.class) {
                            return Boolean.parseBoolean(text);
                        } else if (type == Mode.class) {
                            return Mode.valueOf(text);
                        }
                    } catch (IllegalArgumentException e) {
                        throw new IllegalStateException("DS cannot convert " + text, e);
                    }
                    throw new UnsupportedOperationException(type.toString());
                });
    }

    private Settings read(Settings lastGood, Object... pairs) {
        Map<String, Object> properties = properties(pairs);
        return READER.read(fromDs(properties), properties, lastGood);
    }

    private static String inFile(String message) {
        return "config file " + Path.of("/home/u/.engram/config/engram.test.cfg") + ": " + message;
    }

    @Test
    void defaultsAreTheDeclaredOnes() {
        Settings defaults = READER.defaults();
        assertEquals(100, defaults.pageSize());
        assertEquals(1.5, defaults.backoff());
        assertEquals(Mode.SAFE, defaults.mode());
        assertArrayEquals(new String[] {"a", "b"}, defaults.tags());
        assertEquals(Settings.class, defaults.annotationType());
        assertEquals(defaults, read(READER.defaults()));
        assertEquals(defaults.hashCode(), read(READER.defaults()).hashCode());
        assertTrue(defaults.toString().contains("pageSize=100"), defaults.toString());
        assertEquals(List.of(), capture.messages());
    }

    /** Spaces at a line's end, which a .cfg file keeps and no one sees, do not make a number invalid. */
    @Test
    void validValuesFromTheFileApply() {
        Settings read = read(READER.defaults(), "pageSize", "5 ", "timeoutMs", "0", "backoff", "2.5",
                "enabled", "FALSE", "path", "elsewhere", "mode", " FAST", "max.entries", "9");
        assertEquals(5, read.pageSize());
        assertEquals(0, read.timeoutMs());
        assertEquals(2.5, read.backoff());
        assertEquals(false, read.enabled());
        assertEquals("elsewhere", read.path());
        assertEquals(Mode.FAST, read.mode());
        assertEquals(9, read.max_entries());
        assertEquals(List.of(), capture.messages());
    }

    @Test
    void anUnreadableValueKeepsTheLastGoodOneAndTheOthersStillApply() {
        Settings first = read(READER.defaults(), "pageSize", "abc", "timeoutMs", "250");
        assertEquals(100, first.pageSize());
        assertEquals(250, first.timeoutMs());
        assertEquals(List.of(inFile("pageSize = \"abc\" is not a whole number; keeping 100")), capture.messages());

        Settings second = read(first, "pageSize", "7");
        assertEquals(7, second.pageSize());
        assertEquals(5000, second.timeoutMs(), "a setting taken out of the file is back to its default");
        Settings third = read(second, "pageSize", "12.5");
        assertEquals(7, third.pageSize(), "the last good value, not the default");
        assertEquals(inFile("pageSize = \"12.5\" is not a whole number; keeping 7"), capture.messages().get(1));
        assertEquals(2, capture.messages().size());
    }

    @Test
    void eachKindOfBadValueIsNamed() {
        Settings read = read(READER.defaults(), "pageSize", "0", "timeoutMs", "99999999999999999999",
                "backoff", "0.5", "enabled", "yes", "mode", "QUICK", "maxLimit", "NaN", "defaultLimit", "-1");
        assertEquals(READER.defaults(), read);
        assertEquals(List.of(
                inFile("backoff = \"0.5\" must be at least 1; keeping 1.5"),
                inFile("defaultLimit = \"-1\" must be at least 1; keeping 10"),
                inFile("enabled = \"yes\" is not true or false; keeping true"),
                inFile("maxLimit = \"NaN\" is not a whole number; keeping 100"),
                inFile("mode = \"QUICK\" is not one of FAST, SAFE; keeping SAFE"),
                inFile("pageSize = \"0\" must be at least 1; keeping 100"),
                inFile("timeoutMs = \"99999999999999999999\" is out of range (-9223372036854775808 to"
                        + " 9223372036854775807); keeping 5000")), capture.messages());
    }

    @Test
    void aNumberThatIsNotFiniteIsRejected() {
        assertEquals(1.5, read(READER.defaults(), "backoff", "Infinity").backoff());
        assertEquals(List.of(inFile("backoff = \"Infinity\" is not a finite number; keeping 1.5")), capture.messages());
    }

    @Test
    void valuesThatBreakAnOrderTogetherKeepBothLastGoodOnes() {
        Settings narrowed = read(READER.defaults(), "maxLimit", "50", "defaultLimit", "20");
        assertEquals(50, narrowed.maxLimit());
        assertEquals(20, narrowed.defaultLimit());

        Settings read = read(narrowed, "maxLimit", "50", "defaultLimit", "80");
        assertEquals(50, read.maxLimit());
        assertEquals(20, read.defaultLimit());
        assertEquals(List.of(inFile("defaultLimit = 80 and maxLimit = 50: maxLimit must be at least defaultLimit;"
                + " keeping defaultLimit = 20 and maxLimit = 50")), capture.messages());
    }

    @Test
    void unknownKeysAreNamedWithTheKnownOnesAndFrameworkKeysAreLeftAlone() {
        Settings read = read(READER.defaults(), "pageSzie", "5", "felix.fileinstall.dir", "/x");
        assertEquals(100, read.pageSize());
        assertEquals(List.of(inFile("unknown setting \"pageSzie\"; known settings: backoff, defaultLimit, enabled,"
                + " max.entries, maxLimit, mode, pageSize, path, tags, timeoutMs")), capture.messages());
    }

    @Test
    void withoutAFileThePidIsNamed() {
        Map<String, Object> properties = properties("pageSize", "x");
        properties.remove("felix.fileinstall.filename");
        READER.read(fromDs(properties), properties, READER.defaults());
        assertEquals(List.of("configuration engram.test: pageSize = \"x\" is not a whole number; keeping 100"),
                capture.messages());
    }

    @Test
    void typedValuesAreCheckedToo() {
        Settings read = read(READER.defaults(), "pageSize", 0, "timeoutMs", 42L);
        assertEquals(100, read.pageSize());
        assertEquals(42, read.timeoutMs());
        assertEquals(List.of(inFile("pageSize = 0 must be at least 1; keeping 100")), capture.messages());
    }

    @Test
    void theCheckedInstanceCannotBeChangedThroughAnArray() {
        Settings defaults = READER.defaults();
        defaults.tags()[0] = "changed";
        assertEquals("a", defaults.tags()[0]);
        assertNotSame(defaults.tags(), defaults.tags());
    }

    @Test
    void rulesThatCannotHoldAreRefusedWhenDeclared() {
        ConfigReader<Settings> reader = ConfigReader.of(Settings.class);
        assertEquals("io.engram.api.config.ConfigReaderTest$Settings has no setting pageSzie; it has backoff,"
                        + " defaultLimit, enabled, max.entries, maxLimit, mode, pageSize, path, tags, timeoutMs",
                assertThrows(IllegalArgumentException.class, () -> reader.atLeast("pageSzie", 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> reader.atLeast("path", 1));
        assertEquals("the default of pageSize must be at least 1000",
                assertThrows(IllegalArgumentException.class, () -> reader.atLeast("pageSize", 1000)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> reader.atLeast("defaultLimit", "maxLimit"));
    }
}
