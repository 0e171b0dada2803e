package org.lovoccs.events;

import java.util.List;

/** A message that is not valid JSON or does not satisfy its topic's schema: a poison message. */
public class InvalidEventException extends RuntimeException {
    private final String topic;
    private final List<String> problems;

    public InvalidEventException(String topic, List<String> problems, Throwable cause) {
        super("invalid " + topic + " message: " + String.join("; ", problems), cause);
        this.topic = topic;
        this.problems = List.copyOf(problems);
    }

    public String topic() {
        return topic;
    }

    public List<String> problems() {
        return problems;
    }
}
