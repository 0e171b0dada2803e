package org.lovoccs.registry.butler;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The butler's REST API, one endpoint per verb of the butler command line ({@code ./lovoccs butler ...} calls
 * these). Collection names contain slashes, so they travel in query parameters and JSON bodies, not in paths.
 */
@Path("/butler")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ButlerResource {

    @Inject
    Butler butler;

    /** query-collections [GLOB] [--collection-type T ...]. */
    @GET
    @Path("/collections")
    public List<Collections.Info> queryCollections(@QueryParam("glob") String glob,
                                                   @QueryParam("type") List<String> types) {
        Set<CollectionType> set = EnumSet.noneOf(CollectionType.class);
        if (types != null) {
            types.stream().filter(t -> !t.isBlank()).map(CollectionType::parse).forEach(set::add);
        }
        return butler.queryCollections(glob, set);
    }

    /** A collection to register. */
    public record RegisterRequest(String name, String type, String doc) {
    }

    @POST
    @Path("/collections")
    public Collections.Info register(RegisterRequest r) {
        require(r, "body");
        return butler.register(r.name(), CollectionType.parse(r.type()), r.doc());
    }

    /** collection-chain PARENT CHILDREN... --mode. */
    public record ChainRequest(String parent, List<String> children, String mode) {
    }

    @POST
    @Path("/collection-chain")
    public Collections.Info chain(ChainRequest r) {
        require(r, "body");
        require(r.parent(), "parent");
        return butler.chain(r.parent(), r.children() == null ? List.of() : r.children(),
                Butler.ChainMode.parse(r.mode() == null ? "redefine" : r.mode()));
    }

    /** query-datasets TYPE --collections ... --where ... [--find-first]. */
    public record QueryDatasetsRequest(String datasetType, List<String> collections, String where,
                                       Map<String, Object> bind, Boolean findFirst, String validAt, Integer limit) {
    }

    @POST
    @Path("/query-datasets")
    public List<Butler.DatasetRow> queryDatasets(QueryDatasetsRequest r) {
        require(r, "body");
        int limit = r.limit() == null ? 10_000 : r.limit();
        if (limit < 1 || limit > 1_000_000) {
            throw ButlerException.badRequest("limit must be in [1, 1000000], got " + limit);
        }
        return butler.queryDatasets(r.datasetType(), r.collections(), r.where(), r.bind(),
                Boolean.TRUE.equals(r.findFirst()), time(r.validAt(), "validAt"), limit);
    }

    /** certify-calibrations RUN COLLECTION TYPE --begin-date --end-date [--where]. */
    public record CertifyRequest(String run, String collection, String datasetType, String beginDate,
                                 String endDate, String where, Map<String, Object> bind) {
    }

    @POST
    @Path("/certify-calibrations")
    public Butler.Certified certify(CertifyRequest r) {
        require(r, "body");
        require(r.run(), "run");
        require(r.collection(), "collection");
        require(r.datasetType(), "datasetType");
        return butler.certify(r.run(), r.collection(), r.datasetType(), time(r.beginDate(), "beginDate"),
                time(r.endDate(), "endDate"), r.where(), r.bind());
    }

    /** associate TAGGED IDS. */
    public record AssociateRequest(String collection, List<String> ids) {
    }

    @POST
    @Path("/associate")
    public Map<String, Integer> associate(AssociateRequest r) {
        require(r, "body");
        require(r.collection(), "collection");
        List<UUID> ids;
        try {
            ids = r.ids() == null ? List.of() : r.ids().stream().map(UUID::fromString).toList();
        } catch (IllegalArgumentException e) {
            throw ButlerException.badRequest("ids must be dataset UUIDs: " + e.getMessage());
        }
        return Map.of("associated", butler.associate(r.collection(), ids));
    }

    /** remove-runs GLOB [--dry-run]. */
    public record RemoveRunsRequest(String glob, Boolean dryRun) {
    }

    @POST
    @Path("/remove-runs")
    public Butler.Removed removeRuns(RemoveRunsRequest r) {
        require(r, "body");
        require(r.glob(), "glob");
        return butler.removeRuns(r.glob(), Boolean.TRUE.equals(r.dryRun()));
    }

    @Inject
    Datastore datastore;

    /** register-dataset-type NAME STORAGE_CLASS DIMENSION... [--is-calibration]. */
    public record DatasetTypeRequest(String name, String storageClass, List<String> dimensions,
                                     Boolean isCalibration) {
    }

    @POST
    @Path("/dataset-types")
    public Map<String, Object> registerDatasetType(DatasetTypeRequest r) {
        require(r, "body");
        require(r.name(), "name");
        require(r.storageClass(), "storageClass");
        return butler.registerDatasetType(r.name(), r.storageClass(), r.dimensions() == null ? List.of()
                : r.dimensions(), Boolean.TRUE.equals(r.isCalibration()));
    }

    /** ingest-files DATASET_TYPE RUN TABLE --transfer direct|copy. */
    public record IngestRequest(String datasetType, String run, String transfer, List<Datastore.FileToIngest> files) {
    }

    @POST
    @Path("/ingest-files")
    public Datastore.Ingested ingest(IngestRequest r) {
        require(r, "body");
        require(r.datasetType(), "datasetType");
        require(r.run(), "run");
        return datastore.ingest(r.datasetType(), r.run(), r.transfer(), r.files());
    }

    /** Datasets to register in bulk. */
    public record RegisterDatasetsRequest(String datasetType, String run, List<Datastore.Registered> datasets) {
    }

    @POST
    @Path("/register-datasets")
    public Map<String, Integer> registerDatasets(RegisterDatasetsRequest r) {
        require(r, "body");
        require(r.datasetType(), "datasetType");
        require(r.run(), "run");
        return Map.of("inserted", datastore.register(r.datasetType(), r.run(), r.datasets()));
    }

    /** Dataset IDs to look up. */
    public record PresentRequest(List<UUID> ids) {
    }

    /**
     * Which of these dataset IDs the registry holds: ingest-raws asks before it copies a raw, so that a second
     * run over the same files transfers nothing and can say so (IDs are deterministic, so this is exact). With each,
     * under {@code holders}, the cluster it was ingested for and its checksum: landing asks before it moves a raw,
     * so that an exposure another cluster holds is neither ingested again nor overwritten.
     */
    @POST
    @Path("/datasets-present")
    public Map<String, Object> present(PresentRequest r) {
        require(r, "body");
        require(r.ids(), "ids");
        if (r.ids().size() > 10_000) {
            throw ButlerException.badRequest("at most 10000 ids per request, got " + r.ids().size());
        }
        Map<UUID, Map<String, String>> holders = butler.withConnection(c -> {
            try (var ps = c.prepareStatement("SELECT id, cluster, checksum FROM dataset WHERE id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("uuid", r.ids().toArray()));
                Map<UUID, Map<String, String>> out = new java.util.LinkedHashMap<>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, String> h = new java.util.LinkedHashMap<>();
                        h.put("cluster", rs.getString(2));
                        h.put("checksum", rs.getString(3));
                        out.put(rs.getObject(1, UUID.class), h);
                    }
                }
                return out;
            }
        });
        return Map.of("present", List.copyOf(holders.keySet()), "holders", holders);
    }

    /** Reads a dataset back and checks its SHA-256 against the one recorded at ingest. */
    @GET
    @Path("/verify")
    public Datastore.Verified verify(@QueryParam("id") String id) {
        require(id, "id");
        return datastore.verify(id);
    }

    @Inject
    SkyRegions regions;

    @Inject
    DimensionRecords dimensionRecords;

    @Inject
    ExportImport exportImport;

    /** export --collections C [--datasets TYPE] [--where]. */
    public record ExportRequest(String datasetType, List<String> collections, String where,
                                Map<String, Object> bind) {
    }

    @POST
    @Path("/export")
    public ExportImport.Export export(ExportRequest r) {
        require(r, "body");
        return exportImport.export(r.datasetType(), r.collections(), r.where(), r.bind());
    }

    @POST
    @Path("/import")
    public ExportImport.Imported importDocument(ExportImport.Export doc) {
        return exportImport.importDocument(doc);
    }

    /** query-dimension-records ELEMENT [--where]. */
    public record DimensionRecordsRequest(String element, String where, Map<String, Object> bind, Integer limit) {
    }

    @POST
    @Path("/query-dimension-records")
    public List<Map<String, Object>> dimensionRecords(DimensionRecordsRequest r) {
        require(r, "body");
        require(r.element(), "element");
        return dimensionRecords.records(r.element(), r.where(), r.bind(), r.limit() == null ? 10_000 : r.limit());
    }

    /** query-data-ids --dimensions D,... [--datasets TYPE --collections C] [--where]. */
    public record DataIdsRequest(List<String> dimensions, String datasets, List<String> collections, String where,
                                 Map<String, Object> bind, Integer limit) {
    }

    @POST
    @Path("/query-data-ids")
    public List<Map<String, Object>> dataIds(DataIdsRequest r) {
        require(r, "body");
        return dimensionRecords.dataIds(r.dimensions(), r.datasets(), r.collections(), r.where(), r.bind(),
                r.limit() == null ? 10_000 : r.limit());
    }

    @POST
    @Path("/visit-detector-regions")
    public Map<String, Integer> visitDetectorRegions(List<SkyRegions.VisitDetectorRegion> body) {
        require(body, "body");
        return Map.of("pixels", regions.putVisitDetectorRegions(body));
    }

    /** A skymap to register. */
    public record SkymapRequest(String name, List<SkyRegions.TractRegion> tracts) {
    }

    @POST
    @Path("/skymaps")
    public Map<String, Integer> skymap(SkymapRequest r) {
        require(r, "body");
        require(r.name(), "name");
        return Map.of("patches", regions.putSkymap(r.name(), r.tracts() == null ? List.of() : r.tracts()));
    }

    /** The patches of a skymap that a visit (or one of its detectors) overlaps. */
    @GET
    @Path("/overlaps")
    public List<SkyRegions.Overlap> overlaps(@QueryParam("instrument") String instrument,
                                             @QueryParam("visit") Long visit, @QueryParam("detector") Integer detector,
                                             @QueryParam("skymap") String skymap) {
        require(visit, "visit");
        require(skymap, "skymap");
        return regions.overlaps(instrument == null ? "DECam" : instrument, visit, detector, skymap);
    }

    @Inject
    Skymaps skymaps;

    /**
     * register-skymap NAME --ra --dec [--tract-size-deg] [--patch-size-px] [--patch-border] [--pixel-scale]: a
     * LoVoCCS discrete skymap, one tract centred on the cluster (LSST's DiscreteSkyMap with skymap defaults).
     */
    public record RegisterSkymapRequest(String name, Double ra, Double dec, Double tractSizeDeg, Integer patchSizePx,
                                        Integer patchBorderPx, Double pixelScaleArcsec, String collection) {
    }

    @POST
    @Path("/register-skymap")
    public Skymaps.Registered registerSkymap(RegisterSkymapRequest r) {
        require(r, "body");
        require(r.name(), "name");
        require(r.ra(), "ra");
        require(r.dec(), "dec");
        org.lovoccs.butler.sky.DiscreteSkyMap d = org.lovoccs.butler.sky.DiscreteSkyMap.lovoccs(0, 0);
        org.lovoccs.butler.sky.DiscreteSkyMap map;
        try {
            map = new org.lovoccs.butler.sky.DiscreteSkyMap(r.ra(), r.dec(),
                    r.tractSizeDeg() == null ? d.tractSizeDeg() : r.tractSizeDeg(),
                    r.patchSizePx() == null ? d.patchInnerPx() : r.patchSizePx(),
                    r.patchBorderPx() == null ? d.patchBorderPx() : r.patchBorderPx(),
                    r.pixelScaleArcsec() == null ? d.pixelScaleArcsec() : r.pixelScaleArcsec());
        } catch (IllegalArgumentException e) {
            throw ButlerException.badRequest("register-skymap " + r.name() + ": " + e.getMessage());
        }
        return skymaps.register(r.name(), map, r.collection());
    }

    /** The registered skymaps with their configs. */
    @GET
    @Path("/skymaps")
    public List<Map<String, Object>> listSkymaps() {
        return skymaps.list();
    }

    /** define-visits [--where on exposures], or explicit visit definitions (pointing and filter). */
    public record DefineVisitsRequest(String instrument, String where, Map<String, Object> bind,
                                      List<Skymaps.VisitDefinition> visits) {
    }

    @POST
    @Path("/define-visits")
    public Skymaps.Defined defineVisits(DefineVisitsRequest r) {
        require(r, "body");
        String instrument = r.instrument() == null ? "DECam" : r.instrument();
        return r.visits() != null && !r.visits().isEmpty() ? skymaps.define(instrument, r.visits())
                : skymaps.defineFromExposures(instrument, r.where(), r.bind());
    }

    /** The patches of a skymap overlapped by the detectors of many visits (the planner's spatial join). */
    public record QueryOverlapsRequest(String instrument, String skymap, List<Long> visits) {
    }

    @POST
    @Path("/query-overlaps")
    public List<Skymaps.Overlap> queryOverlaps(QueryOverlapsRequest r) {
        require(r, "body");
        require(r.skymap(), "skymap");
        if (r.visits() == null || r.visits().isEmpty()) {
            throw ButlerException.badRequest("visits is required (a list of visit ids)");
        }
        return skymaps.overlaps(r.instrument() == null ? "DECam" : r.instrument(), r.skymap(), r.visits());
    }

    private static void require(Object value, String name) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw ButlerException.badRequest(name + " is required");
        }
    }

    /** An ISO instant or date (a date means its start, UTC); null when absent. */
    static Instant time(String s, String name) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return s.length() <= 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$") ? s : s + "Z");
        } catch (DateTimeParseException e) {
            throw ButlerException.badRequest(name + " must be an ISO date or time such as 2022-10-01 or"
                    + " 2022-10-01T03:00:00Z, got '" + s + "'");
        }
    }
}
