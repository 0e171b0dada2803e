package org.lovoccs.pipeline;

import java.util.Locale;

/**
 * The type of a task config field, as pex_config's {@code Field[bool|int|float|str]}: how a value
 * written on the command line or in a config file is parsed, how a YAML value is checked, and how a
 * value is printed in {@code config.key = value} form (Python literals: True/False, quoted strings).
 */
public enum ConfigType {
    /** A boolean; accepts True/False/true/false. */
    BOOL("bool"),
    /** A 64-bit integer. */
    INT("int"),
    /** A double; integers are accepted and widened. */
    FLOAT("float"),
    /** A string; on the command line, quotes (single or double) are optional. */
    STRING("str");

    private final String pythonName;

    ConfigType(String pythonName) {
        this.pythonName = pythonName;
    }

    /** The Python type name used in messages ("bool", "int", "float", "str"). */
    public String pythonName() {
        return pythonName;
    }

    /**
     * Parses command-line or config-file text as a value of this type.
     *
     * @throws IllegalArgumentException with the expected type when the text is not such a value
     */
    public Object parse(String text) {
        String t = text.strip();
        switch (this) {
            case BOOL -> {
                return switch (t) {
                    case "True", "true" -> Boolean.TRUE;
                    case "False", "false" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException("expected a bool (True or False), got " + text);
                };
            }
            case INT -> {
                try {
                    return Long.parseLong(t.replace("_", ""));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected an int, got " + text);
                }
            }
            case FLOAT -> {
                try {
                    String n = t.replace("_", "");
                    if (n.equalsIgnoreCase("nan") || n.matches("(?i)[+-]?inf(inity)?")) {
                        throw new NumberFormatException();
                    }
                    return Double.parseDouble(n);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected a float, got " + text);
                }
            }
            default -> {
                if (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'"))) {
                    return t.substring(1, t.length() - 1);
                }
                if (t.startsWith("\"") || t.startsWith("'")) {
                    throw new IllegalArgumentException("unterminated string " + text);
                }
                return t;
            }
        }
    }

    /**
     * Checks a value read from YAML (Boolean, Integer/Long, Double, String) and returns it in this
     * type's canonical Java form (Boolean, Long, Double, String).
     *
     * @throws IllegalArgumentException with the expected type when the value does not fit
     */
    public Object coerce(Object value) {
        switch (this) {
            case BOOL -> {
                if (value instanceof Boolean) {
                    return value;
                }
                if (value instanceof String s) {
                    return parse(s);
                }
            }
            case INT -> {
                if (value instanceof Integer || value instanceof Long || value instanceof Short) {
                    return ((Number) value).longValue();
                }
            }
            case FLOAT -> {
                if (value instanceof Number n && !(value instanceof java.math.BigDecimal)) {
                    return n.doubleValue();
                }
                if (value instanceof java.math.BigDecimal d) {
                    return d.doubleValue();
                }
            }
            case STRING -> {
                if (value instanceof String) {
                    return value;
                }
            }
        }
        throw new IllegalArgumentException("expected " + article() + " " + pythonName + ", got "
                + describe(value));
    }

    /** The value as a Python literal: True/False, 12, 1.5, "text". */
    public String format(Object value) {
        return switch (this) {
            case BOOL -> ((Boolean) value) ? "True" : "False";
            case INT -> value.toString();
            case FLOAT -> {
                double d = (Double) value;
                yield d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%.1f", d)
                        : Double.toString(d);
            }
            case STRING -> '"' + ((String) value).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        };
    }

    private String article() {
        return this == INT ? "an" : "a";
    }

    static String describe(Object value) {
        if (value == null) {
            return "nothing (null)";
        }
        String kind = value instanceof Boolean ? "bool" : value instanceof Integer || value instanceof Long ? "int"
                : value instanceof Number ? "float" : value instanceof String ? "str"
                : value instanceof java.util.Map ? "a mapping" : value instanceof java.util.List ? "a list"
                : value.getClass().getSimpleName();
        return kind + " " + (value instanceof String s ? '"' + s + '"' : String.valueOf(value));
    }
}
