package org.lovoccs.pipeline;

import java.util.Objects;

/**
 * One field of a task's config: its dotted key (e.g. {@code overscan.fitType}), type, default and doc.
 *
 * @param key          dotted name as written after {@code config.}
 * @param type         value type
 * @param defaultValue default, in the type's canonical Java form
 * @param doc          one line of documentation
 */
public record ConfigField(String key, ConfigType type, Object defaultValue, String doc) {
    /** Checks the default against the type. */
    public ConfigField {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        defaultValue = type.coerce(defaultValue);
    }
}
