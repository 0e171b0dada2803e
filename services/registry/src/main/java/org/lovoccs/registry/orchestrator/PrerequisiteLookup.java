package org.lovoccs.registry.orchestrator;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.lovoccs.butler.sky.DecamFocalPlane;
import org.lovoccs.butler.sky.Htm;
import org.lovoccs.butler.sky.SphericalCircle;
import org.lovoccs.events.DataId;
import org.lovoccs.events.Dimension;
import org.lovoccs.events.EventCodec;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Finds the prerequisite inputs that come from outside the pipeline, as the butler's quantum-graph builder does:
 * <ul>
 *   <li>a <b>calibration</b> (the curated crosstalk, linearizer, defects) in the cluster's calibration collections,
 *       searched in order with chains expanded, the certification whose validity range holds the middle of the
 *       exposure;</li>
 *   <li>a <b>reference catalogue</b> sharded by htm7: every shard over the detector's region on the sky (DECam's focal
 *       plane at the exposure's pointing, widened by a margin for pointing errors), from the refcat collections.</li>
 * </ul>
 * What cannot be found is returned as a missing input with the reason and what to do; the orchestrator then plans the
 * quantum failed with that reason.
 */
@ApplicationScoped
public class PrerequisiteLookup {

    /** The calibration collections searched, in order; {@code {cluster}} stands for the cluster's name. */
    @ConfigProperty(name = "lovoccs.orchestrator.calib-collections", defaultValue = "DECam/calib/{cluster},DECam/calib")
    String calibCollections;

    /**
     * The collections holding the reference catalogues' shards, searched in order; {@code {cluster}} stands for the
     * cluster's name (LoVoCCS downloads catalogues per cluster: {@code butler ingest-refcat --collection
     * refcats/<cluster>}).
     */
    @ConfigProperty(name = "lovoccs.orchestrator.refcat-collections", defaultValue = "refcats/{cluster},refcats")
    String refcatCollections;

    /**
     * The photometric reference catalogue of each survey the cluster's band configuration may name ("process_ccd
     * sdss,u"): {@code SURVEY=DATASET_TYPE,...}, {@code {band}} standing for the band (one catalogue per band, as
     * the simulator and ingest-refcat make them).
     */
    @ConfigProperty(name = "lovoccs.orchestrator.photo-refcats", defaultValue = "sdss=sdss_like_{band},"
            + "ps1=ps1_like_{band},des=des_like_{band},atlas_refcat2=atlas_refcat2_like_{band},gaia=gaia_like")
    String photoRefcats;

    /** The survey of a band when the cluster's record names none for it: {@code BAND=SURVEY,...,*=SURVEY}. */
    @ConfigProperty(name = "lovoccs.orchestrator.photo-refcat-bands", defaultValue = "u=sdss,*=ps1")
    String photoRefcatBands;

    /** The connection whose catalogue is chosen per band from the cluster's configuration. */
    static final String PHOTO_REFCAT = "photoRefCat";

    /** How far beyond the detector's nominal region the shards are taken (pointing errors, proper motions). */
    @ConfigProperty(name = "lovoccs.orchestrator.refcat-margin-arcmin", defaultValue = "2")
    double refcatMarginArcmin;

    /** The search path: each collection named, chains expanded depth-first, with its rank (lower searched first). */
    private static final String SEARCH = "WITH RECURSIVE search(name, path) AS ("
            + " SELECT c.name, ARRAY[o.ord]::bigint[] FROM unnest(string_to_array(:cols, ',')) WITH ORDINALITY"
            + " AS o(name, ord) JOIN collection c ON c.name = o.name"
            + " UNION ALL SELECT ch.child, s.path || ch.position::bigint FROM search s"
            + " JOIN collection_chain ch ON ch.parent = s.name) ";

    List<String> calibCollections(String cluster) {
        return split(calibCollections.replace("{cluster}", cluster));
    }

    List<String> refcatCollections(String cluster) {
        return split(refcatCollections.replace("{cluster}", cluster));
    }

    private static List<String> split(String spec) {
        return Arrays.stream(spec.split(",")).map(String::strip).filter(c -> !c.isEmpty()).toList();
    }

    /**
     * The calibration types that, when a product is certified for the exposure in the shared calibration collections
     * ({@code lovoccs.orchestrator.shared-calib-collections}), are read from there instead of being made from the
     * cluster's own exposures: the seed's "BFK/Fringe are (kinda) stable with time". A fringe frame needs many z
     * exposures (from 3 of one field it keeps their stars and noise, docs/process_ccd.md), and one certified from a
     * larger set serves every cluster of its validity range. Comma-separated; empty for none.
     */
    @ConfigProperty(name = "lovoccs.orchestrator.shared-calibrations", defaultValue = "fringe")
    String sharedCalibrations;

    /** Where the shared calibrations are looked for, in order (chains expanded): not the cluster's own. */
    @ConfigProperty(name = "lovoccs.orchestrator.shared-calib-collections", defaultValue = "DECam/calib")
    String sharedCalibCollections;

    /** Whether a product of this calibration type certified in the shared collections wins over the cluster's own. */
    boolean prefersShared(String datasetType) {
        return split(sharedCalibrations).contains(datasetType);
    }

    List<String> sharedCalibCollections() {
        return split(sharedCalibCollections);
    }

    /**
     * The calibration certified in the shared collections for the middle of the quantum's exposure, or an empty list
     * when there is none (the cluster then makes its own).
     */
    Uni<List<Orchestrator.Input>> sharedCalibration(Mutiny.Session s, OrchestratedPipeline.Port port, DataId dataId) {
        return certified(s, sharedCalibCollections(), port, dataId)
                .map(found -> found.row() == null ? List.<Orchestrator.Input>of()
                        : List.of(Orchestrator.Input.of(port.connection(), Orchestrator.ref(found.row()), true)));
    }

    /** The calibration a quantum reads, valid at the middle of its exposure. */
    Uni<List<Orchestrator.Input>> calibration(Mutiny.Session s, String cluster, OrchestratedPipeline.Port port,
                                              DataId dataId) {
        List<String> collections = calibCollections(cluster);
        DataId calibId = OrchestratedPipeline.project(dataId, port.type().dimensions());
        Number exposure = exposureOf(dataId);
        return certified(s, collections, port, dataId).map(found -> {
            if (found.row() != null) {
                return List.of(Orchestrator.Input.of(port.connection(), Orchestrator.ref(found.row()), true));
            }
            if (found.when() == null) {
                return List.of(Orchestrator.Input.missing(port.connection(), "no exposure record " + exposure
                        + " to date the " + port.type().name() + " look-up by"));
            }
            return List.of(Orchestrator.Input.missing(port.connection(), "no " + port.type().name() + " " + calibId
                    + " is certified for " + when(found.when()) + " (exposure " + exposure + ") in " + collections
                    + ": " + howToGet(port, cluster)));
        });
    }

    /** A certification found (its dataset row) or not (null), and the time looked up (null: no exposure record). */
    private record Certified(Object[] row, Object when) {
    }

    /** The first certification in {@code collections} (chains expanded) valid at the middle of the exposure. */
    private Uni<Certified> certified(Mutiny.Session s, List<String> collections, OrchestratedPipeline.Port port,
                                     DataId dataId) {
        DataId calibId = OrchestratedPipeline.project(dataId, port.type().dimensions());
        Number exposure = exposureOf(dataId);
        return s.createNativeQuery("SELECT timespan_begin + make_interval(secs => exposure_time / 2) FROM exposure"
                        + " WHERE instrument = :i AND id = :e", Object.class)
                .setParameter("i", instrument(dataId)).setParameter("e", exposure.longValue())
                .getResultList()
                .chain(times -> {
                    if (times.isEmpty()) {
                        return Uni.createFrom().item(new Certified(null, null));
                    }
                    Object when = times.get(0);
                    return s.createNativeQuery(SEARCH + "SELECT d.id, d.dataset_type, d.run, d.data_id::text, d.uri,"
                                    + " d.byte_offset, d.byte_length, d.checksum FROM search s"
                                    + " JOIN calib_dataset k ON k.collection = s.name JOIN dataset d ON d.id = k.dataset_id"
                                    + " WHERE k.dataset_type = :t AND k.data_id @> cast(cast(:did as text) as jsonb)"
                                    + " AND k.validity @> cast(:when as timestamptz) ORDER BY s.path LIMIT 1",
                                    Object[].class)
                            .setParameter("cols", String.join(",", collections))
                            .setParameter("t", port.type().name())
                            .setParameter("did", EventCodec.toJson(calibId))
                            .setParameter("when", when)
                            .getResultList()
                            .map(rows -> new Certified(rows.isEmpty() ? null : rows.get(0), when));
                });
    }

    /**
     * The shards of a reference catalogue over the detector's region; for calibrate's photoRefCat, the catalogue the
     * cluster's configuration names for the exposure's band.
     */
    Uni<List<Orchestrator.Input>> refcatShards(Mutiny.Session s, String cluster, OrchestratedPipeline.Port port,
                                               DataId dataId) {
        if (!port.connection().equals(PHOTO_REFCAT)) {
            return refcatShards(s, cluster, port, port.type().name(), dataId);
        }
        Object band = dataId.get(Dimension.BAND);
        if (band == null) {
            return Uni.createFrom().item(List.of(Orchestrator.Input.missing(port.connection(), "data ID " + dataId
                    + " has no band to choose the photometric reference catalogue by")));
        }
        return s.createNativeQuery("SELECT bands::text FROM cluster WHERE name = :c", String.class)
                .setParameter("c", cluster).getResultList()
                .chain(rows -> {
                    String survey = null;
                    if (!rows.isEmpty() && rows.get(0) != null) {
                        try {
                            var node = EventCodec.JSON.readTree(rows.get(0));
                            if (node.hasNonNull(band.toString())) {
                                survey = node.get(band.toString()).asText();
                            }
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException("cluster " + cluster + " has bad bands: " + rows.get(0), e);
                        }
                    }
                    if (survey == null) {
                        survey = pick(photoRefcatBands, band.toString(), "*");
                    }
                    String pattern = survey == null ? null : pick(photoRefcats, survey, null);
                    if (pattern == null) {
                        return Uni.createFrom().item(List.of(Orchestrator.Input.missing(port.connection(),
                                "no photometric reference catalogue is configured for survey '" + survey + "' (band "
                                        + band + " of cluster " + cluster + "); lovoccs.orchestrator.photo-refcats"
                                        + " is " + photoRefcats)));
                    }
                    return refcatShards(s, cluster, port, pattern.replace("{band}", band.toString()), dataId);
                });
    }

    /** {@code KEY=VALUE,...}: the value of key, else of fallback. */
    private static String pick(String spec, String key, String fallback) {
        String other = null;
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String k = part.substring(0, eq).strip();
            if (k.equals(key)) {
                return part.substring(eq + 1).strip();
            }
            if (k.equals(fallback)) {
                other = part.substring(eq + 1).strip();
            }
        }
        return other;
    }

    private Uni<List<Orchestrator.Input>> refcatShards(Mutiny.Session s, String cluster, OrchestratedPipeline.Port port,
                                                       String type, DataId dataId) {
        Number exposure = exposureOf(dataId);
        int detector = ((Number) dataId.get(Dimension.DETECTOR)).intValue();
        List<String> collections = refcatCollections(cluster);
        return s.createNativeQuery("SELECT tracking_ra, tracking_dec FROM exposure WHERE instrument = :i AND id = :e", Object[].class)
                .setParameter("i", instrument(dataId)).setParameter("e", exposure.longValue())
                .getResultList()
                .chain(rows -> {
                    if (rows.isEmpty() || rows.get(0)[0] == null || rows.get(0)[1] == null) {
                        return Uni.createFrom().item(List.of(Orchestrator.Input.missing(port.connection(),
                                "exposure " + exposure + " has no pointing (RA, Dec) to find the " + type
                                        + " shards over detector " + detector + " by")));
                    }
                    double ra = ((Number) rows.get(0)[0]).doubleValue();
                    double dec = ((Number) rows.get(0)[1]).doubleValue();
                    long[] shards = shardsOver(detector, ra, dec, refcatMarginArcmin);
                    String ids = Arrays.stream(shards).mapToObj(Long::toString).collect(Collectors.joining(","));
                    return s.createNativeQuery(SEARCH + "SELECT DISTINCT ON (d.htm7) d.id, d.dataset_type, d.run,"
                                    + " d.data_id::text, d.uri, d.byte_offset, d.byte_length, d.checksum FROM search s"
                                    + " JOIN dataset d ON d.run = s.name WHERE d.dataset_type = :t"
                                    + " AND d.htm7 = ANY (cast(string_to_array(:ids, ',') as bigint[]))"
                                    + " ORDER BY d.htm7, s.path", Object[].class)
                            .setParameter("cols", String.join(",", collections))
                            .setParameter("t", type).setParameter("ids", ids)
                            .getResultList()
                            .map(found -> found.isEmpty()
                                    ? List.of(Orchestrator.Input.missing(port.connection(), "no shard of the "
                                    + "reference catalogue " + type + " in " + collections + " covers"
                                    + " detector " + detector + " of exposure " + exposure + " (" + shards.length
                                    + " htm7 triangles around RA " + ra + ", Dec " + dec + "): ingest it with"
                                    + " ./lovoccs butler ingest-refcat " + type + " FILE..., then ./lovoccs pipetask"
                                    + " retry " + cluster
                                    + switchOff(port)))
                                    : found.stream().map(r -> Orchestrator.Input.of(port.connection(), Orchestrator.ref(r), true))
                                    .toList());
                });
    }

    /** The htm7 triangles touching a DECam detector's region at a pointing, widened by a margin. */
    static long[] shardsOver(int detector, double ra, double dec, double marginArcmin) {
        SphericalCircle c = DecamFocalPlane.detectorRegion(detector, ra, dec).boundingCircle();
        return Htm.cover(c.ra(), c.dec(), c.radiusDeg() + marginArcmin / 60.0, Htm.REFCAT_LEVEL);
    }

    private static String howToGet(OrchestratedPipeline.Port port, String cluster) {
        String type = port.type().name();
        String make = switch (type) {
            case "crosstalk", "linearizer", "defects" -> "write the curated calibrations (./lovoccs butler"
                    + " write-curated-calibrations; it chains them into DECam/calib)";
            default -> "certify one (./lovoccs butler certify-calibrations RUN DECam/calib/" + cluster + " " + type
                    + " --begin-date ...)";
        };
        return make + switchOff(port) + "; then ./lovoccs pipetask retry " + cluster + " (it looks it up again)";
    }

    private static String switchOff(OrchestratedPipeline.Port port) {
        return port.enabledBy() == null ? "" : ", or switch the correction off (" + port.enabledBy() + "=False)";
    }

    private static Number exposureOf(DataId dataId) {
        Object e = dataId.get(Dimension.EXPOSURE) != null ? dataId.get(Dimension.EXPOSURE)
                : dataId.get(Dimension.VISIT);
        if (e == null) {
            throw new IllegalArgumentException("data ID " + dataId + " has no exposure or visit to look up"
                    + " prerequisites for");
        }
        return (Number) e;
    }

    private static String instrument(DataId dataId) {
        return dataId.get(Dimension.INSTRUMENT) == null ? "DECam" : dataId.getString(Dimension.INSTRUMENT);
    }

    private static String when(Object t) {
        return t instanceof OffsetDateTime o ? o.toInstant().toString() : String.valueOf(t);
    }
}
