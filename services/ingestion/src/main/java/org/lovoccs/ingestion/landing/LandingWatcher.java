package org.lovoccs.ingestion.landing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;
import org.lovoccs.events.EventCodec;
import org.lovoccs.events.S3EventNotification;
import org.lovoccs.events.Topics;
import org.lovoccs.objectstore.ObjectInfo;
import org.lovoccs.objectstore.ObjectStore;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the bucket notifications that S3Proxy cannot send: lists the landing bucket and
 * publishes, for each object it has not announced yet (by key and ETag), the same S3 event JSON MinIO
 * would publish to {@code raw.landed}. What it remembers is only an optimisation: after a restart it
 * announces again, and ingestion's idempotency makes that harmless. Off where MinIO notifies
 * ({@code lovoccs.landing.watch=false}).
 */
@ApplicationScoped
public class LandingWatcher {
    private static final Logger LOG = Logger.getLogger(LandingWatcher.class);

    @Inject
    ObjectStore store;

    @Inject
    Tracer tracer;

    @Inject
    @Channel("raw-landed-out")
    MutinyEmitter<String> landed;

    @ConfigProperty(name = "lovoccs.landing.bucket")
    String landingBucket;

    @ConfigProperty(name = "lovoccs.repo-bucket")
    String repoBucket;

    @ConfigProperty(name = "lovoccs.landing.watch")
    boolean watch;

    private final Map<String, String> announced = new ConcurrentHashMap<>();
    /** Keys listed without an ETag, and when first seen so. */
    private final Map<String, Instant> withoutEtag = new ConcurrentHashMap<>();
    /** How long an object may stay without an ETag before the watcher says so. */
    static final java.time.Duration NO_ETAG_WARNING = java.time.Duration.ofMinutes(1);

    void onStart(@Observes StartupEvent ev) {
        store.ensureBucket(landingBucket);
        store.ensureBucket(repoBucket);
        LOG.infof("landing bucket s3://%s, repository bucket s3://%s at %s; watching the landing bucket: %s",
                landingBucket, repoBucket, store.endpoint(), watch);
    }

    @Scheduled(every = "${lovoccs.landing.poll:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "2s")
    void poll() {
        if (!watch) {
            return;
        }
        List<ObjectInfo> objects;
        try {
            objects = store.list(landingBucket, "");
        } catch (RuntimeException e) {
            LOG.warnf("cannot list the landing bucket, will retry: %s", e.getMessage());
            return;
        }
        Set<String> present = new HashSet<>();
        for (ObjectInfo o : objects) {
            if (o.key().startsWith(Quarantine.PREFIX)) {
                continue;
            }
            present.add(o.key());
            if (o.etag() == null) {
                // an object still being written: S3Proxy's filesystem store lists its temporary file (the key and a
                // UUID) without an ETag until the upload completes and the file is renamed. Announced once it has one
                Instant first = withoutEtag.computeIfAbsent(o.key(), k -> Instant.now());
                if (first != Instant.MIN && first.plus(NO_ETAG_WARNING).isBefore(Instant.now())) {
                    LOG.warnf("s3://%s/%s has been listed without an ETag for over %d s: it is not announced until it"
                            + " has one; if no upload is still writing it, copy it in again", landingBucket, o.key(),
                            NO_ETAG_WARNING.toSeconds());
                    withoutEtag.put(o.key(), Instant.MIN);
                }
                continue;
            }
            if (o.etag().equals(announced.get(o.key()))) {
                continue;
            }
            Span span = tracer.spanBuilder("raw landed " + o.key()).startSpan();
            try (Scope ignored = span.makeCurrent()) {
                String json = EventCodec.encode(Topics.RAW_LANDED, S3EventNotification.objectCreated(landingBucket,
                        o.key(), o.size(), o.etag(), Instant.now()));
                landed.sendAndAwait(json);
                announced.put(o.key(), o.etag());
                LOG.infof("announced s3://%s/%s (%d bytes) on %s", landingBucket, o.key(), o.size(), Topics.RAW_LANDED);
            } catch (RuntimeException e) {
                LOG.warnf("cannot announce s3://%s/%s, will retry: %s", landingBucket, o.key(), e.getMessage());
            } finally {
                span.end();
            }
        }
        announced.keySet().retainAll(present);
        withoutEtag.keySet().retainAll(present);
    }
}
