package org.lovoccs.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads and writes event messages as JSON, holding every message to its topic's JSON Schema
 * (draft 2020-12, under {@code org/lovoccs/events/schemas/}). Producers call {@link #encode}, which
 * refuses to emit an invalid message; consumers call {@link #decode}, which throws
 * {@link InvalidEventException} for a poison message. Thread-safe.
 */
public final class EventCodec {
    public static final String SCHEMA_BASE = "https://lovoccs.org/schemas/";
    public static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaMappers(m -> m.mapPrefix(SCHEMA_BASE, "classpath:org/lovoccs/events/schemas/")));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private EventCodec() {
    }

    /** The schema of a topic's messages; {@code quantum.ready.<service>} topics each have their own. */
    public static JsonSchema schema(String topic) {
        return SCHEMAS.computeIfAbsent(topic, t -> {
            JsonSchema s = FACTORY.getSchema(SchemaLocation.of(SCHEMA_BASE + t + ".schema.json"), CONFIG);
            s.initializeValidators();
            return s;
        });
    }

    /** Schema violations of {@code node} as {@code <path>: <message>} lines; empty when valid. */
    public static List<String> violations(String topic, JsonNode node) {
        Set<ValidationMessage> errors = schema(topic).validate(node);
        return errors.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /** Plain JSON text of a model value (a data ID, metrics ...), for storage; no schema involved. Null stays null. */
    public static String toJson(Object value) {
        try {
            return value == null ? null : JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON of " + value, e);
        }
    }

    /** Serializes {@code event}, refusing with {@link InvalidEventException} if it breaks the topic's schema. */
    public static String encode(String topic, Object event) {
        JsonNode node = JSON.valueToTree(event);
        List<String> problems = violations(topic, node);
        if (!problems.isEmpty()) {
            throw new InvalidEventException(topic, problems, null);
        }
        return node.toString();
    }

    /** Parses and validates a message of {@code topic}, then binds it to {@code type}. */
    public static <T> T decode(String topic, String payload, Class<T> type) {
        JsonNode node;
        try {
            node = JSON.readTree(payload == null ? "" : payload);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(topic, List.of("not JSON: " + e.getOriginalMessage()), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidEventException(topic, List.of("empty message"), null);
        }
        List<String> problems = violations(topic, node);
        if (!problems.isEmpty()) {
            throw new InvalidEventException(topic, problems, null);
        }
        try {
            return JSON.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidEventException(topic, List.of("cannot bind to " + type.getSimpleName() + ": "
                    + e.getMessage()), e);
        }
    }
}
