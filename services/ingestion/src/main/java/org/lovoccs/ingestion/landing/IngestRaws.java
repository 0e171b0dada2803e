package org.lovoccs.ingestion.landing;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.lovoccs.events.CollectionNames;
import org.lovoccs.events.DataId;
import org.lovoccs.events.DatasetIds;
import org.lovoccs.events.DatasetRef;
import org.lovoccs.events.DatasetType;
import org.lovoccs.events.Dimension;
import org.lovoccs.events.EventCodec;
import org.lovoccs.events.RawIngested;
import org.lovoccs.events.RawQuarantined;
import org.lovoccs.events.S3EventNotification;
import org.lovoccs.events.StorageLocation;
import org.lovoccs.events.Topics;
import org.lovoccs.rawcheck.CheckedRaw;
import org.lovoccs.rawcheck.RawChecker;
import org.lovoccs.rawcheck.RawRejected;
import org.lovoccs.objectstore.ObjectInfo;
import org.lovoccs.objectstore.ObjectStore;
import org.lovoccs.objectstore.ObjectStoreException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * check_raws and ingest_data for one landed object: the raw is streamed from the store once and
 * checked HDU by HDU; a good raw is copied server-side (only if its ETag is still the one checked)
 * into the repository under {@code DECam/raw/all/<day_obs>/<exposure>/}, reported on
 * {@code raw.ingested} (one {@code raw} dataset per detector, located by its HDU's byte range), and
 * only then removed from the landing bucket; a bad one is moved to the quarantine prefix with its
 * reason and reported on {@code raw.quarantined}. A redelivered event for an object already moved
 * finds nothing to do; a transfer failure is retried, then the raw stays in landing and the event goes
 * to the dead-letter topic. The landing key's first folder names the cluster ({@code A85/raw_0001.fits}).
 */
@ApplicationScoped
public class IngestRaws {
    private static final Logger LOG = Logger.getLogger(IngestRaws.class);

    @Inject
    ObjectStore store;

    @Inject
    @Channel("raw-ingested")
    MutinyEmitter<String> ingested;

    @Inject
    @Channel("raw-quarantined")
    MutinyEmitter<String> quarantined;

    @ConfigProperty(name = "lovoccs.landing.bucket")
    String landingBucket;

    @ConfigProperty(name = "lovoccs.repo-bucket")
    String repoBucket;

    private static final int TRANSFER_ATTEMPTS = 3;

    private final RawChecker checker = new RawChecker();

    @Incoming("raw-landed")
    @Blocking
    public void onLanded(String payload) throws IOException {
        S3EventNotification event = EventCodec.decode(Topics.RAW_LANDED, payload, S3EventNotification.class);
        for (S3EventNotification.Record r : event.records()) {
            if (!r.isObjectCreated()) {
                continue;
            }
            String key = r.objectKey();
            if (!landingBucket.equals(r.bucketName()) || key.startsWith(Quarantine.PREFIX)) {
                LOG.debugf("ignoring %s/%s: not a landed raw", r.bucketName(), key);
                continue;
            }
            ingest(key);
        }
    }

    void ingest(String key) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                ingestOnce(key);
                return;
            } catch (IOException | ObjectStoreException e) {
                if (attempt == TRANSFER_ATTEMPTS) {
                    throw new IOException("giving up on s3://" + landingBucket + "/" + key + " after " + attempt
                            + " attempts; it stays in the landing bucket: " + e.getMessage(), e);
                }
                LOG.warnf("attempt %d on s3://%s/%s failed, retrying: %s", attempt, landingBucket, key, e.getMessage());
                sleep(1000L << attempt);
            }
        }
    }

    private void ingestOnce(String key) throws IOException {
        Optional<ObjectInfo> info = store.stat(landingBucket, key);
        if (info.isEmpty()) {
            LOG.infof("s3://%s/%s is no longer in the landing bucket (already ingested or quarantined)",
                    landingBucket, key);
            return;
        }
        String cluster = clusterOf(key);
        String etag = info.get().etag();
        CheckedRaw raw;
        try (InputStream in = store.open(landingBucket, key)) {
            raw = checker.check(in, info.get().size());
        } catch (RawRejected rejected) {
            quarantine(cluster, key, etag, rejected.problem(), rejected.getMessage());
            return;
        }
        String fileName = key.substring(key.lastIndexOf('/') + 1);
        String repoKey = CollectionNames.RAW_ALL + "/" + raw.exposure().dayObs() + "/" + raw.exposure().exposure()
                + "/" + fileName;
        store.copy(landingBucket, key, repoBucket, repoKey, etag);
        String uri = "s3://" + repoBucket + "/" + repoKey;
        List<DatasetRef> refs = new ArrayList<>();
        for (CheckedRaw.DetectorHdu d : raw.detectors()) {
            DataId dataId = DataId.builder().with(Dimension.INSTRUMENT, raw.instrument())
                    .with(Dimension.EXPOSURE, raw.exposure().exposure()).with(Dimension.DETECTOR, d.detector())
                    .build();
            refs.add(new DatasetRef(DatasetIds.deterministic(DatasetType.RAW, CollectionNames.RAW_ALL, dataId),
                    DatasetType.RAW.name(), CollectionNames.RAW_ALL, dataId,
                    new StorageLocation(uri, d.byteOffset(), d.byteLength(), d.checksum())));
        }
        ingested.sendAndAwait(EventCodec.encode(Topics.RAW_INGESTED, new RawIngested(cluster, raw.instrument(),
                raw.exposure(), uri, refs, Instant.now())));
        store.remove(landingBucket, key);
        LOG.infof("ingested s3://%s/%s for %s: exposure %d band %s, %d detectors -> %s", landingBucket, key,
                cluster, raw.exposure().exposure(), raw.exposure().band(), refs.size(), uri);
    }

    private void quarantine(String cluster, String key, String etag, String problem, String reason) {
        String qKey = Quarantine.keyFor(key);
        store.copy(landingBucket, key, landingBucket, qKey, etag);
        store.put(landingBucket, qKey + Quarantine.REASON_SUFFIX,
                (problem + ": " + reason + "\n").getBytes(StandardCharsets.UTF_8), "text/plain", Map.of());
        quarantined.sendAndAwait(EventCodec.encode(Topics.RAW_QUARANTINED, new RawQuarantined(cluster,
                "s3://" + landingBucket + "/" + key, "s3://" + landingBucket + "/" + qKey, problem, reason,
                Instant.now())));
        store.remove(landingBucket, key);
        LOG.warnf("quarantined s3://%s/%s -> %s: %s: %s", landingBucket, key, qKey, problem, reason);
    }

    /** The cluster a landed key belongs to: its first folder, or {@code unassigned} for a key at the top. */
    static String clusterOf(String key) {
        int slash = key.indexOf('/');
        String c = slash > 0 ? key.substring(0, slash) : "unassigned";
        return c.matches("[A-Za-z0-9_.+-]+") ? c : c.replaceAll("[^A-Za-z0-9_.+-]", "_");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
