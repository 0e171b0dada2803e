package org.lovoccs.butler;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A name (dimension, field, bind value) that is not known. The message lists the valid names and,
 * when one is close, suggests it ("did you mean ...").
 */
public class UnknownNameException extends IllegalArgumentException {
    private final String name;
    private final List<String> validNames;
    private final String suggestion;

    /**
     * @param message    the full message
     * @param name       the unknown name
     * @param validNames the names that would have been accepted
     * @param suggestion the closest valid name, or null
     */
    public UnknownNameException(String message, String name, List<String> validNames, String suggestion) {
        super(message);
        this.name = name;
        this.validNames = List.copyOf(validNames);
        this.suggestion = suggestion;
    }

    /** Builds the standard message: "{@code problem}; did you mean 'x'? Valid {@code what}: a, b, c". */
    public static UnknownNameException of(String problem, String name, String what, Collection<String> valid) {
        String closest = Suggestions.closest(name, valid).orElse(null);
        StringBuilder sb = new StringBuilder(problem);
        if (closest != null) {
            sb.append("; did you mean '").append(closest).append("'?");
        }
        sb.append(closest != null ? " Valid " : "; valid ").append(what).append(": ");
        sb.append(valid.isEmpty() ? "(none)" : String.join(", ", valid));
        return new UnknownNameException(sb.toString(), name, List.copyOf(valid), closest);
    }

    /** The name that was not found. */
    public String name() {
        return name;
    }

    /** The names that are valid in its place. */
    public List<String> validNames() {
        return validNames;
    }

    /** The closest valid name, if one is close enough to be a likely typo. */
    public Optional<String> suggestion() {
        return Optional.ofNullable(suggestion);
    }
}
