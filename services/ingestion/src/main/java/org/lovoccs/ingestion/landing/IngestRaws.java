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
 * check_raws and ingest_data for one raw, landed or named by {@code butler ingest-raws}: the raw is streamed
 * once and checked HDU by HDU; a good raw is reported on {@code raw.ingested} (one {@code raw} dataset per
 * detector, located by its HDU's byte range).
 *
 * <p>A landed raw is copied server-side (only if its ETag is still the one checked) into the repository under
 * {@code DECam/raw/all/<day_obs>/<exposure>/}, reported, and only then removed from the landing bucket; a bad one
 * is moved to the quarantine prefix with its reason and reported on {@code raw.quarantined}. A redelivered event
 * for an object already moved finds nothing to do; a transfer failure is retried, then the raw stays in landing
 * and the event goes to the dead-letter topic. The landing key's first folder names the cluster
 * ({@code A85/raw_0001.fits}).
 *
 * <p>A raw named by {@code ingest-raws} ({@link IngestRawsResource}) is copied into the same place or registered
 * where it is ({@code direct}); the user's file is never moved or deleted, and a bad one is only reported.
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

    String landingBucket() {
        return landingBucket;
    }

    @Inject
    RegistryClient registry;

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
        withRetries(RawSource.object(landingBucket, key), () -> ingestOnce(RawSource.object(landingBucket, key),
                clusterOf(key), CollectionNames.RAW_ALL, Transfer.MOVE));
    }

    /**
     * How a raw reaches the repository: {@code MOVE} is landing (copied into the repository, then removed from
     * the landing bucket; a bad one is quarantined); {@code COPY} and {@code DIRECT} are {@code butler ingest-raws}
     * (the user's file is left where it is whatever the verdict, copied into the repository or registered in
     * place).
     */
    public enum Transfer { MOVE, COPY, DIRECT }

    /** What became of one raw. */
    public record Outcome(String source, String status, String uri, Long exposure, String band,
                          String observationType, Integer detectors, long bytes, String problem, String reason) {
        static final String INGESTED = "ingested";
        static final String PRESENT = "already-present";
        static final String BAD = "bad";
        static final String GONE = "gone";
    }

    interface Attempt {
        Outcome run() throws IOException;
    }

    /** Runs {@code attempt}, retrying transfer failures (never a bad raw: that is a verdict, not a failure). */
    Outcome withRetries(RawSource source, Attempt attempt) throws IOException {
        for (int n = 1; ; n++) {
            try {
                return attempt.run();
            } catch (IOException | ObjectStoreException e) {
                if (n == TRANSFER_ATTEMPTS) {
                    throw new IOException("giving up on " + source.uri() + " after " + n + " attempts"
                            + (source.isLanding(landingBucket) ? "; it stays in the landing bucket" : "") + ": "
                            + e.getMessage(), e);
                }
                LOG.warnf("attempt %d on %s failed, retrying: %s", n, source.uri(), e.getMessage());
                sleep(1000L << n);
            }
        }
    }

    /**
     * check_raws and ingest_data of one raw, whatever its source: the one code path for landed raws and for
     * {@code butler ingest-raws}, so both register the same data IDs and send the same events.
     */
    Outcome ingestOnce(RawSource source, String cluster, String run, Transfer transfer) throws IOException {
        Optional<ObjectInfo> info = source.stat(store);
        if (info.isEmpty()) {
            LOG.infof("%s is no longer there (already ingested or quarantined)", source.uri());
            return new Outcome(source.uri(), Outcome.GONE, null, null, null, null, null, 0, "GONE",
                    source.uri() + " is not there");
        }
        long size = info.get().size();
        String etag = info.get().etag();
        CheckedRaw raw;
        try (InputStream in = source.open(store)) {
            raw = checker.check(in, size);
        } catch (RawRejected rejected) {
            if (transfer == Transfer.MOVE) {
                quarantine(cluster, source.key(), etag, rejected.problem(), rejected.getMessage());
            } else {
                LOG.warnf("not ingested %s for %s: %s: %s", source.uri(), cluster, rejected.problem(),
                        rejected.getMessage());
            }
            return new Outcome(source.uri(), Outcome.BAD, null, null, null, null, null, size, rejected.problem(),
                    rejected.getMessage());
        }
        List<DataId> dataIds = new ArrayList<>();
        for (CheckedRaw.DetectorHdu d : raw.detectors()) {
            dataIds.add(DataId.builder().with(Dimension.INSTRUMENT, raw.instrument())
                    .with(Dimension.EXPOSURE, raw.exposure().exposure()).with(Dimension.DETECTOR, d.detector())
                    .build());
        }
        List<java.util.UUID> ids = dataIds.stream().map(id -> DatasetIds.deterministic(DatasetType.RAW, run, id))
                .toList();
        // one question to the registry: which of these raws it holds, for which cluster, with which checksum
        Map<java.util.UUID, RegistryClient.Holder> known = registry.holders(ids);
        if (transfer != Transfer.MOVE && known.keySet().containsAll(ids)) {
            // ingest-raws reports and skips the copy
            return outcome(source, Outcome.PRESENT, null, raw, size);
        }
        if (transfer == Transfer.MOVE && !known.isEmpty()) {
            String conflict = alreadyIngested(cluster, raw, ids, known);
            if (conflict == null) {
                // a landing delivered again after the registry recorded it: the repository holds these bytes
                store.remove(landingBucket, source.key());
                LOG.infof("%s: exposure %d is already ingested for %s with the same bytes; the landed copy is"
                        + " removed", source.uri(), raw.exposure().exposure(), cluster);
                return outcome(source, Outcome.PRESENT, null, raw, size);
            }
            quarantine(cluster, source.key(), etag, EXPOSURE_ALREADY_INGESTED, conflict);
            return new Outcome(source.uri(), Outcome.BAD, null, raw.exposure().exposure(), raw.exposure().band(),
                    raw.exposure().observationType(), raw.detectors().size(), size, EXPOSURE_ALREADY_INGESTED,
                    conflict);
        }
        String uri;
        if (transfer == Transfer.DIRECT) {
            uri = source.uri();
        } else {
            String repoKey = run + "/" + raw.exposure().dayObs() + "/" + raw.exposure().exposure() + "/"
                    + source.fileName();
            source.copyTo(store, repoBucket, repoKey, etag);
            uri = "s3://" + repoBucket + "/" + repoKey;
        }
        List<DatasetRef> refs = new ArrayList<>();
        for (int i = 0; i < dataIds.size(); i++) {
            CheckedRaw.DetectorHdu d = raw.detectors().get(i);
            refs.add(new DatasetRef(ids.get(i), DatasetType.RAW.name(), run, dataIds.get(i),
                    new StorageLocation(uri, d.byteOffset(), d.byteLength(), d.checksum())));
        }
        ingested.sendAndAwait(EventCodec.encode(Topics.RAW_INGESTED, new RawIngested(cluster, raw.instrument(),
                raw.exposure(), uri, refs, Instant.now())));
        if (transfer == Transfer.MOVE) {
            store.remove(landingBucket, source.key());
        }
        LOG.infof("ingested %s for %s (%s): exposure %d band %s, %d detectors -> %s", source.uri(), cluster,
                transfer.name().toLowerCase(java.util.Locale.ROOT), raw.exposure().exposure(),
                raw.exposure().band(), refs.size(), uri);
        return outcome(source, Outcome.INGESTED, uri, raw, size);
    }

    /** The quarantine problem of a landed raw whose exposure the registry holds for another cluster or other bytes. */
    static final String EXPOSURE_ALREADY_INGESTED = "EXPOSURE_ALREADY_INGESTED";

    /**
     * Why a landed raw whose exposure the registry holds (some of its detectors) cannot be ingested, or null when it
     * is the same raw landed again for the same cluster (every detector held, for this cluster, with the same
     * checksum). The raw is then not copied: its repository key is the exposure's, and copying would overwrite the
     * file the registry's raws point into.
     */
    static String alreadyIngested(String cluster, CheckedRaw raw, List<java.util.UUID> ids,
                                  Map<java.util.UUID, RegistryClient.Holder> known) {
        java.util.Set<String> others = new java.util.TreeSet<>();
        int differ = 0;
        for (int i = 0; i < ids.size(); i++) {
            RegistryClient.Holder h = known.get(ids.get(i));
            if (h == null) {
                continue;
            }
            if (!cluster.equals(h.cluster())) {
                others.add(String.valueOf(h.cluster()));
            }
            if (!java.util.Objects.equals(h.checksum(), raw.detectors().get(i).checksum())) {
                differ++;
            }
        }
        long exposure = raw.exposure().exposure();
        if (!others.isEmpty()) {
            return "exposure " + exposure + " is already ingested for cluster " + String.join(", ", others) + " ("
                    + known.size() + " of this file's " + ids.size() + " detectors" + (differ > 0 ? ", " + differ
                    + " of them with other pixels" : ", the same pixels") + "): an exposure is ingested once and"
                    + " processed for the cluster it first landed for, so this copy was neither ingested for " + cluster
                    + " nor allowed to replace that one. Processing one exposure for two clusters is not supported."
                    + (differ > 0 ? " If this is another exposure, its EXPNUM clashes: check the file's header." : "")
                    + " The exposure's status: ./lovoccs status " + others.iterator().next();
        }
        if (differ > 0 || known.size() < ids.size()) {
            return "exposure " + exposure + " is already ingested for " + cluster + " from another file ("
                    + known.size() + " of this file's " + ids.size() + " detectors held, " + differ + " with other"
                    + " pixels): this copy was neither ingested nor allowed to replace it; if it is another exposure,"
                    + " its EXPNUM clashes: check the file's header";
        }
        return null;
    }

    private static Outcome outcome(RawSource source, String status, String uri, CheckedRaw raw, long size) {
        return new Outcome(source.uri(), status, uri, raw.exposure().exposure(), raw.exposure().band(),
                raw.exposure().observationType(), raw.detectors().size(), size, null, null);
    }

    private void quarantine(String cluster, String key, String etag, String problem, String reason) {
        String qKey = Quarantine.keyFor(key);
        // the event first: one its schema refuses leaves the raw where it landed, not half quarantined
        String event = EventCodec.encode(Topics.RAW_QUARANTINED, new RawQuarantined(cluster,
                "s3://" + landingBucket + "/" + key, "s3://" + landingBucket + "/" + qKey, problem, reason,
                Instant.now()));
        store.copy(landingBucket, key, landingBucket, qKey, etag);
        store.put(landingBucket, qKey + Quarantine.REASON_SUFFIX,
                (problem + ": " + reason + "\n").getBytes(StandardCharsets.UTF_8), "text/plain", Map.of());
        quarantined.sendAndAwait(event);
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
