package org.lovoccs.contract;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.lovoccs.events.EventCodec;
import org.lovoccs.events.InvalidEventException;
import org.lovoccs.events.S3EventNotification;
import org.lovoccs.events.Topics;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The consumer side of the event contract: messages under {@code contracts/accepted/<topic>/} (such as
 * MinIO's own bucket notification, which ingestion consumes under compose and Kubernetes) must be
 * accepted by the schema and bind to the consumer's type; those under {@code contracts/rejected/<topic>/}
 * must be refused as poison. The producer side is held by {@link EndToEndTest}, on real output.
 */
class EventContractTest {
    @TestFactory
    Stream<DynamicTest> acceptedMessagesBindAndRejectedOnesAreRefused() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String verdict : List.of("accepted", "rejected")) {
            Path root = Path.of(getClass().getResource("/contracts/" + verdict).toURI());
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    String topic = f.getParent().getFileName().toString();
                    tests.add(DynamicTest.dynamicTest(verdict + " " + topic + "/" + f.getFileName(), () -> {
                        String json = Files.readString(f);
                        if (verdict.equals("accepted")) {
                            Object ev = EventCodec.decode(topic, json, typeOf(topic));
                            assertNotNull(ev);
                        } else {
                            assertThrows(InvalidEventException.class, () -> EventCodec.decode(topic, json, typeOf(topic)));
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    @Test
    void minioNotificationKeyIsDecodedAsIngestionExpects() throws IOException, URISyntaxException {
        String json = Files.readString(Path.of(getClass().getResource(
                "/contracts/accepted/raw.landed/minio-put.json").toURI()));
        S3EventNotification ev = EventCodec.decode(Topics.RAW_LANDED, json, S3EventNotification.class);
        assertEquals("lovoccs-landing", ev.records().get(0).bucketName());
        assertEquals("A85/c4d_220526_041234_ori.fits", ev.records().get(0).objectKey());
        assertTrue(ev.records().get(0).isObjectCreated());
    }

    @Test
    void watcherPublishesTheSameShapeAsMinio() {
        String json = EventCodec.encode(Topics.RAW_LANDED, S3EventNotification.objectCreated("lovoccs-landing",
                "A 85/raw+1.fits", 2880, "etag", Instant.parse("2026-11-25T12:00:00Z")));
        S3EventNotification back = EventCodec.decode(Topics.RAW_LANDED, json, S3EventNotification.class);
        assertEquals("A 85/raw+1.fits", back.records().get(0).objectKey());
    }

    @Test
    void producersCannotEmitAnInvalidMessage() {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> EventCodec.encode(
                Topics.RAW_QUARANTINED, new org.lovoccs.events.RawQuarantined("A85", "not-a-uri", "s3://b/k",
                        "NOT_FITS", "x", Instant.now())));
        assertTrue(e.getMessage().contains("sourceUri"), e.getMessage());
    }

    private static Class<?> typeOf(String topic) {
        return switch (topic) {
            case Topics.RAW_LANDED -> S3EventNotification.class;
            case Topics.RAW_INGESTED -> org.lovoccs.events.RawIngested.class;
            case Topics.RAW_QUARANTINED -> org.lovoccs.events.RawQuarantined.class;
            case Topics.DATASET_READY -> org.lovoccs.events.DatasetReady.class;
            case Topics.QUANTUM_STARTED -> org.lovoccs.events.QuantumStarted.class;
            case Topics.QUANTUM_FINISHED -> org.lovoccs.events.QuantumFinished.class;
            default -> org.lovoccs.events.QuantumReady.class;
        };
    }
}
