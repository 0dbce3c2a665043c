package io.engram.api.config;

import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks the settings a Declarative Services component receives from Configuration Admin (in
 * Engram: a {@code config/<pid>.cfg} file an admin edits), so that a bad value is reported to the
 * admin and never reaches, or fails, the component.
 *
 * <p>The component describes its settings with a component property type (an annotation whose
 * elements are the settings, with their defaults) and asks DS for both that type and the raw
 * properties in its activate and modified methods:
 *
 * <pre>{@code
 * static final ConfigReader<Config> SETTINGS = ConfigReader.of(Config.class).atLeast("pageSize", 1);
 * private volatile Config config;
 *
 * @Activate
 * void activate(Config config, Map<String, Object> properties) {
 *     this.config = SETTINGS.read(config, properties, SETTINGS.defaults());
 * }
 *
 * @Modified
 * void modified(Config config, Map<String, Object> properties) {
 *     this.config = SETTINGS.read(config, properties, this.config);
 * }
 * }</pre>
 *
 * <p>{@link #read} returns an instance of the settings type in which every value either came from
 * the properties and is valid, or is the last good one: each setting falls back on its own. For
 * each rejected value it logs one WARNING (logger {@code io.engram.api.config.ConfigReader}) that
 * names the file (without one, the PID), the setting, the value, the problem and the value kept:
 * {@code config file /home/u/.engram/config/engram.mcp.cfg: pageSize = "abc" is not a whole number;
 * keeping 100}. It also warns about each key the type does not know (a misspelled setting),
 * leaving out keys with a dot, which belong to the framework ({@code service.pid},
 * {@code component.name}, {@code felix.fileinstall.filename}, ...); give any component property
 * of your own that is not a setting a dotted name too.
 *
 * <p>A value is valid when it converts to the element's type and meets the rules added with the
 * {@code atLeast} methods. DS converts it, except that the text of a number, boolean or enum constant
 * is converted here with the spaces around it ignored (a file keeps those at a line's end, where no
 * one sees them), a boolean must be spelled {@code true} or {@code false} (DS reads any other word as
 * false), and a {@code double} or {@code float} must be finite. A setting missing from the properties
 * takes its default. Keys are the element names, with DS's mapping of {@code _} to {@code .} and
 * of {@code $} (a {@code PREFIX_} constant is not supported).
 *
 * <p>Instances are immutable and thread-safe; keep one in a static field.
 *
 * @param <C> the component property type
 */
public final class ConfigReader<C extends Annotation> {

    private static final Logger LOG = Logger.getLogger(ConfigReader.class.getName());
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");

    private final Class<C> type;
    /** By key, sorted so that messages list them in a stable order. */
    private final Map<String, Setting> settings;
    private final List<Minimum> minimums;
    private final List<Order> orders;
    private final Map<String, Object> defaultValues = new HashMap<>();
    private final C defaults;

    private ConfigReader(Class<C> type, Map<String, Setting> settings, List<Minimum> minimums, List<Order> orders) {
        this.type = type;
        this.settings = settings;
        this.minimums = List.copyOf(minimums);
        this.orders = List.copyOf(orders);
        settings.forEach((key, setting) -> defaultValues.put(key, setting.defaultValue));
        this.defaults = instance(defaultValues);
    }

    /**
     * A reader of the settings {@code type} declares, without rules beyond the element types.
     *
     * @throws IllegalArgumentException when {@code type} is not an annotation type
     */
    public static <C extends Annotation> ConfigReader<C> of(Class<C> type) {
        if (!type.isAnnotation()) {
            throw new IllegalArgumentException(type.getName() + " is not an annotation type");
        }
        Map<String, Setting> settings = new TreeMap<>();
        for (Method element : type.getDeclaredMethods()) {
            if (element.getParameterCount() == 0 && !element.isSynthetic()) {
                element.trySetAccessible();
                Setting setting = new Setting(element);
                settings.put(setting.key, setting);
            }
        }
        return new ConfigReader<>(type, settings, List.of(), List.of());
    }

    /**
     * The same reader, also rejecting a value of the numeric setting {@code key} below {@code minimum}.
     *
     * @throws IllegalArgumentException when there is no such numeric setting or its default is below the minimum
     */
    public ConfigReader<C> atLeast(String key, double minimum) {
        Minimum rule = new Minimum(numeric(key).key, minimum);
        String problem = rule.problem(defaultValues.get(key));
        if (problem != null) {
            throw new IllegalArgumentException("the default of " + key + " " + problem);
        }
        List<Minimum> more = new ArrayList<>(minimums);
        more.add(rule);
        return new ConfigReader<>(type, settings, more, orders);
    }

    /**
     * The same reader, also rejecting values where the numeric setting {@code key} is below the
     * numeric setting {@code lowerKey} (a maximum and the default it bounds, say). When a new value
     * of either would break this, both keep their last good values.
     *
     * @throws IllegalArgumentException when there are no such numeric settings or their defaults break the rule
     */
    public ConfigReader<C> atLeast(String key, String lowerKey) {
        Order rule = new Order(numeric(key).key, numeric(lowerKey).key);
        if (!rule.holds(defaultValues)) {
            throw new IllegalArgumentException("the defaults break the rule " + key + " >= " + lowerKey);
        }
        List<Order> more = new ArrayList<>(orders);
        more.add(rule);
        return new ConfigReader<>(type, settings, minimums, more);
    }

    /** The settings' defaults, as declared by the annotation type: the last good values at activation. */
    public C defaults() {
        return defaults;
    }

    /**
     * The checked settings, logging a warning for each value rejected and each unknown key.
     *
     * @param config     the instance of the settings type DS passed (it converts the values, and
     *                   throws when a value does not convert)
     * @param properties the component properties DS passed beside it, which name the file and show
     *                   each value as written
     * @param lastGood   what each rejected value falls back to: {@link #defaults()} at activation,
     *                   then what the previous call returned
     * @return settings that are all valid: from {@code properties}, or else from {@code lastGood}
     */
    public C read(C config, Map<String, ?> properties, C lastGood) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(lastGood, "lastGood");
        String source = source(properties);
        Map<String, Object> previous = valuesOf(lastGood);
        Map<String, Object> values = new HashMap<>();
        for (Setting setting : settings.values()) {
            if (!properties.containsKey(setting.key)) {
                values.put(setting.key, setting.defaultValue);
                continue;
            }
            Object raw = properties.get(setting.key);
            Object value = null;
            Throwable failure = null;
            if (raw instanceof String text && setting.isParsedHere()) {
                try {
                    value = setting.parse(text.strip());
                } catch (IllegalArgumentException e) {
                    failure = e;
                }
            } else {
                try {
                    value = setting.element.invoke(config);
                } catch (InvocationTargetException e) {
                    failure = e.getCause();
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + setting.key + " of " + type.getName(), e);
                }
            }
            String problem = failure != null ? setting.conversionProblem(raw, failure) : problem(setting, value);
            if (problem == null) {
                values.put(setting.key, value);
            } else {
                Object kept = previous.get(setting.key);
                LOG.warning(source + ": " + setting.key + " = " + show(raw) + " " + problem + "; keeping " + show(kept));
                values.put(setting.key, kept);
            }
        }
        keepOrder(source, values, previous);
        warnAboutUnknownKeys(source, properties);
        return instance(values);
    }

    private String problem(Setting setting, Object value) {
        if ((value instanceof Double || value instanceof Float) && !Double.isFinite(((Number) value).doubleValue())) {
            return "is not a finite number";
        }
        for (Minimum minimum : minimums) {
            if (minimum.key.equals(setting.key)) {
                String problem = minimum.problem(value);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    /** Applies the order rules to values each valid alone; a broken one takes both settings back. */
    private void keepOrder(String source, Map<String, Object> values, Map<String, Object> previous) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Order rule : orders) {
                boolean alreadyPrevious = Objects.equals(values.get(rule.key), previous.get(rule.key))
                        && Objects.equals(values.get(rule.lowerKey), previous.get(rule.lowerKey));
                // when the last good values themselves break the rule there is nothing better to go back to
                if (rule.holds(values) || alreadyPrevious) {
                    continue;
                }
                LOG.warning(source + ": " + rule.lowerKey + " = " + show(values.get(rule.lowerKey)) + " and "
                        + rule.key + " = " + show(values.get(rule.key)) + ": " + rule.key + " must be at least "
                        + rule.lowerKey + "; keeping " + rule.lowerKey + " = " + show(previous.get(rule.lowerKey))
                        + " and " + rule.key + " = " + show(previous.get(rule.key)));
                values.put(rule.key, previous.get(rule.key));
                values.put(rule.lowerKey, previous.get(rule.lowerKey));
                changed = true;
            }
        }
    }

    private void warnAboutUnknownKeys(String source, Map<String, ?> properties) {
        for (String key : new TreeMap<>(properties).keySet()) {
            if (!key.contains(".") && !settings.containsKey(key)) {
                LOG.warning(source + ": unknown setting " + show(key) + "; known settings: "
                        + String.join(", ", settings.keySet()));
            }
        }
    }

    /** The file the properties came from (FileInstall records it), else their PID. */
    private String source(Map<String, ?> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        if (file != null) {
            return "config file " + path(file.toString());
        }
        Object pid = properties.get("service.pid");
        if (pid != null) {
            return "configuration " + pid;
        }
        Object component = properties.get("component.name");
        return "settings of " + (component != null ? component : type.getName());
    }

    private static String path(String fileUrl) {
        try {
            URI uri = URI.create(fileUrl);
            if ("file".equals(uri.getScheme())) {
                return Path.of(uri).toString();
            }
        } catch (RuntimeException e) {
            // not a URL: show it as it is
        }
        return fileUrl;
    }

    private Setting numeric(String key) {
        Setting setting = settings.get(key);
        if (setting == null) {
            throw new IllegalArgumentException(type.getName() + " has no setting " + key + "; it has "
                    + String.join(", ", settings.keySet()));
        }
        if (!setting.isNumber()) {
            throw new IllegalArgumentException(key + " of " + type.getName() + " is not a number");
        }
        return setting;
    }

    private Map<String, Object> valuesOf(C instance) {
        Map<String, Object> values = new HashMap<>();
        for (Setting setting : settings.values()) {
            try {
                values.put(setting.key, setting.element.invoke(instance));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalArgumentException("the last good settings must be valid; " + setting.key
                        + " is not: " + e.getCause(), e);
            }
        }
        return values;
    }

    private C instance(Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, new Values(values)));
    }

    /** As an admin would write the value: strings quoted, lists in brackets. */
    static String show(Object value) {
        if (value instanceof String text) {
            return '"' + text + '"';
        }
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        if (value instanceof Class<?> named) {
            return named.getName();
        }
        if (value != null && value.getClass().isArray()) {
            return asList(value).stream().map(ConfigReader::show).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Collection<?> items) {
            return items.stream().map(ConfigReader::show).collect(Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(value);
    }

    private static List<Object> asList(Object array) {
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < Array.getLength(array); i++) {
            items.add(Array.get(array, i));
        }
        return items;
    }

    /** DS reads the first item of a list given for a single value. */
    private static Object single(Object raw) {
        if (raw instanceof Collection<?> items) {
            return items.isEmpty() ? null : items.iterator().next();
        }
        if (raw != null && raw.getClass().isArray()) {
            return Array.getLength(raw) == 0 ? null : Array.get(raw, 0);
        }
        return raw;
    }

    private static String plain(double number) {
        return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
    }

    private static int compare(Object a, Object b) {
        if (isIntegral(a) && isIntegral(b)) {
            return Long.compare(((Number) a).longValue(), ((Number) b).longValue());
        }
        double x = ((Number) a).doubleValue();
        double y = ((Number) b).doubleValue();
        return x >= y ? (x == y ? 0 : 1) : -1;
    }

    private static boolean isIntegral(Object number) {
        return number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte;
    }

    /** One element of the settings type. */
    private static final class Setting {
        final Method element;
        final String key;
        final Class<?> valueType;
        final Object defaultValue;

        Setting(Method element) {
            this.element = element;
            this.key = key(element.getName());
            this.valueType = element.getReturnType();
            Object declared = element.getDefaultValue();
            this.defaultValue = declared != null || !valueType.isPrimitive() ? declared
                    : Array.get(Array.newInstance(valueType, 1), 0);
        }

        /** DS's mapping of an element name to a property key: {@code _} is a dot, {@code $} escapes. */
        static String key(String name) {
            StringBuilder key = new StringBuilder();
            for (int i = 0; i < name.length(); i++) {
                if (name.startsWith("$_$", i)) {
                    key.append('-');
                    i += 2;
                } else if (name.startsWith("$$", i)) {
                    key.append('$');
                    i++;
                } else if (name.startsWith("__", i)) {
                    key.append('_');
                    i++;
                } else if (name.charAt(i) == '_') {
                    key.append('.');
                } else if (name.charAt(i) != '$') {
                    key.append(name.charAt(i));
                }
            }
            return key.toString();
        }

        /**
         * Whether a text is converted here rather than by DS: DS does not ignore the spaces a file
         * keeps at a line's end, and reads any word but "true" as false.
         */
        boolean isParsedHere() {
            return (valueType.isPrimitive() && valueType != char.class) || valueType.isEnum();
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        Object parse(String text) {
            if (valueType == int.class) {
                return Integer.valueOf(text);
            } else if (valueType == long.class) {
                return Long.valueOf(text);
            } else if (valueType == short.class) {
                return Short.valueOf(text);
            } else if (valueType == byte.class) {
                return Byte.valueOf(text);
            } else if (valueType == double.class) {
                return Double.valueOf(text);
            } else if (valueType == float.class) {
                return Float.valueOf(text);
            } else if (valueType == boolean.class && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
                return Boolean.valueOf(text);
            } else if (valueType.isEnum()) {
                return Enum.valueOf((Class<? extends Enum>) valueType, text);
            }
            throw new IllegalArgumentException(text);
        }

        boolean isNumber() {
            return valueType == int.class || valueType == long.class || valueType == double.class
                    || valueType == float.class || valueType == short.class || valueType == byte.class;
        }

        /** Why DS could not convert {@code raw}, in the admin's terms. */
        String conversionProblem(Object raw, Throwable failure) {
            Class<?> itemType = valueType.isArray() ? valueType.getComponentType() : valueType;
            Object item = valueType.isArray() ? raw : single(raw);
            String problem;
            if (itemType == int.class) {
                problem = wholeNumber(item, Integer.MIN_VALUE, Integer.MAX_VALUE);
            } else if (itemType == long.class) {
                problem = wholeNumber(item, Long.MIN_VALUE, Long.MAX_VALUE);
            } else if (itemType == short.class) {
                problem = wholeNumber(item, Short.MIN_VALUE, Short.MAX_VALUE);
            } else if (itemType == byte.class) {
                problem = wholeNumber(item, Byte.MIN_VALUE, Byte.MAX_VALUE);
            } else if (itemType == boolean.class) {
                problem = "is not true or false";
            } else if (itemType == double.class || itemType == float.class) {
                problem = "is not a number";
            } else if (itemType.isEnum()) {
                StringJoiner names = new StringJoiner(", ");
                for (Object constant : itemType.getEnumConstants()) {
                    names.add(((Enum<?>) constant).name());
                }
                problem = "is not one of " + names;
            } else {
                problem = "is not valid: " + (failure.getMessage() != null ? failure.getMessage() : failure);
            }
            return valueType.isArray() ? "has an item that " + problem : problem;
        }

        private static String wholeNumber(Object raw, long min, long max) {
            return raw instanceof String text && WHOLE_NUMBER.matcher(text.strip()).matches()
                    ? "is out of range (" + min + " to " + max + ")"
                    : "is not a whole number";
        }
    }

    private record Minimum(String key, double minimum) {
        String problem(Object value) {
            return compare(value, minimum) >= 0 ? null : "must be at least " + plain(minimum);
        }
    }

    private record Order(String key, String lowerKey) {
        boolean holds(Map<String, Object> values) {
            return compare(values.get(key), values.get(lowerKey)) >= 0;
        }
    }

    /** The checked values behind an instance of the settings type. */
    private final class Values implements InvocationHandler {
        private final Map<String, Object> byKey;

        Values(Map<String, Object> byKey) {
            this.byKey = Map.copyOf(byKey);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws ReflectiveOperationException {
            String name = method.getName();
            if (method.getParameterCount() == 1 && name.equals("equals")) {
                return proxy == args[0] || (type.isInstance(args[0]) && sameValues(args[0]));
            }
            switch (name) {
                case "annotationType":
                    return type;
                case "hashCode":
                    return hash();
                case "toString":
                    return type.getSimpleName() + new TreeMap<>(byKey).entrySet().stream()
                            .map(e -> e.getKey() + "=" + show(e.getValue()))
                            .collect(Collectors.joining(", ", "{", "}"));
                default:
                    Object value = byKey.get(Setting.key(name));
                    return value != null && value.getClass().isArray() ? cloneArray(value) : value;
            }
        }

        private boolean sameValues(Object other) throws ReflectiveOperationException {
            for (Setting setting : settings.values()) {
                if (!Objects.deepEquals(byKey.get(setting.key), setting.element.invoke(other))) {
                    return false;
                }
            }
            return true;
        }

        /** As {@link Annotation#hashCode()} specifies. */
        private int hash() {
            int hash = 0;
            for (Setting setting : settings.values()) {
                Object value = byKey.get(setting.key);
                int valueHash = value != null && value.getClass().isArray() ? asList(value).hashCode()
                        : Objects.hashCode(value);
                hash += (127 * setting.element.getName().hashCode()) ^ valueHash;
            }
            return hash;
        }

        private Object cloneArray(Object array) {
            int length = Array.getLength(array);
            Object copy = Array.newInstance(array.getClass().getComponentType(), length);
            System.arraycopy(array, 0, copy, 0, length);
            return copy;
        }
    }

    @Override
    public String toString() {
        return "ConfigReader of " + type.getName();
    }
}
