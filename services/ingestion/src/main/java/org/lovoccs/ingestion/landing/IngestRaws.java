package org.lovoccs.ingestion.landing;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
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
import org.lovoccs.ingestion.check.CheckedRaw;
import org.lovoccs.ingestion.check.RawChecker;
import org.lovoccs.ingestion.check.RawRejected;
import org.lovoccs.objectstore.ObjectInfo;
import org.lovoccs.objectstore.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * check_raws and ingest_data for one landed object: the raw is checked HDU by HDU; a good raw is
 * copied into the repository under {@code DECam/raw/all/<day_obs>/<exposure>/}, reported on
 * {@code raw.ingested} (one {@code raw} dataset per detector, located by its HDU's byte range), and
 * only then removed from the landing bucket; a bad one is moved to the quarantine prefix with its
 * reason and reported on {@code raw.quarantined}. A redelivered event for an object already moved
 * finds nothing to do. The landing key's first folder names the cluster ({@code A85/raw_0001.fits}).
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
        Optional<ObjectInfo> info = store.stat(landingBucket, key);
        if (info.isEmpty()) {
            LOG.infof("s3://%s/%s is no longer in the landing bucket (already ingested or quarantined)",
                    landingBucket, key);
            return;
        }
        String cluster = clusterOf(key);
        Path tmp = Files.createTempFile("landed-", ".fits");
        try {
            store.download(landingBucket, key, tmp);
            CheckedRaw raw;
            try (InputStream in = Files.newInputStream(tmp)) {
                raw = checker.check(in, Files.size(tmp));
            } catch (RawRejected rejected) {
                quarantine(cluster, key, rejected.problem(), rejected.getMessage());
                return;
            }
            String fileName = key.substring(key.lastIndexOf('/') + 1);
            String repoKey = Registry.RAW_RUN + "/" + raw.exposure().dayObs() + "/" + raw.exposure().exposure() + "/"
                    + fileName;
            store.put(repoBucket, repoKey, tmp, "application/fits");
            String uri = "s3://" + repoBucket + "/" + repoKey;
            List<DatasetRef> refs = new ArrayList<>();
            for (CheckedRaw.DetectorHdu d : raw.detectors()) {
                DataId dataId = DataId.builder().with(Dimension.INSTRUMENT, raw.instrument())
                        .with(Dimension.EXPOSURE, raw.exposure().exposure()).with(Dimension.DETECTOR, d.detector())
                        .build();
                refs.add(new DatasetRef(DatasetIds.deterministic(DatasetType.RAW, Registry.RAW_RUN, dataId),
                        DatasetType.RAW.name(), Registry.RAW_RUN, dataId,
                        new StorageLocation(uri, d.byteOffset(), d.byteLength(), d.checksum())));
            }
            ingested.sendAndAwait(EventCodec.encode(Topics.RAW_INGESTED, new RawIngested(cluster, raw.instrument(),
                    raw.exposure(), uri, refs, Instant.now())));
            store.remove(landingBucket, key);
            LOG.infof("ingested s3://%s/%s for %s: exposure %d band %s, %d detectors -> %s", landingBucket, key,
                    cluster, raw.exposure().exposure(), raw.exposure().band(), refs.size(), uri);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void quarantine(String cluster, String key, String problem, String reason) {
        String qKey = Quarantine.keyFor(key);
        store.copy(landingBucket, key, landingBucket, qKey);
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

    /** Collection names the ingestion service writes under. */
    static final class Registry {
        static final String RAW_RUN = "DECam/raw/all";
    }
}
