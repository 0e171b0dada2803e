package org.lovoccs.registry.status;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The per-cluster status REST API. */
@Path("/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterStatusResource {
    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    PipelineGraphSource pipeline;

    public record ClusterSummary(String name, String firstSeen, long datasets, long quanta, long quarantined,
                                 Double ra, Double dec, Double redshift, String rawsCompleteAt) {
    }

    public record ErrorBody(String error) {
    }

    /** A dataset of the cluster; {@code stored} false (present only then): held in its job's memory, never written. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record DatasetView(String id, String datasetType, String run, String dataId, String uri, Long byteOffset,
                              Long byteLength, String checksum, Boolean stored) {
    }

    @GET
    public Uni<List<ClusterSummary>> list() {
        return sessions.withSession(s -> s.createNativeQuery("SELECT c.name, c.first_seen::text,"
                        + " (SELECT count(*) FROM dataset d WHERE d.cluster = c.name),"
                        + " (SELECT count(*) FROM quantum q WHERE q.cluster = c.name),"
                        + " (SELECT count(*) FROM quarantine x WHERE x.cluster = c.name),"
                        + " c.ra, c.dec, c.redshift, c.raws_complete_at::text"
                        + " FROM cluster c ORDER BY c.name", Object[].class).getResultList())
                .map(rows -> rows.stream().map(r -> new ClusterSummary((String) r[0], (String) r[1], num(r[2]),
                        num(r[3]), num(r[4]), (Double) r[5], (Double) r[6], (Double) r[7], (String) r[8])).toList());
    }

    /** How old a served status may be (the page refreshes every 3 s). */
    static final long STATUS_TTL_NANOS = 1_000_000_000L;

    /** The last status computed for a cluster, when, and whether a newer one is being computed. */
    private static final class CachedStatus {
        final long computedAt;
        final Response value;
        final java.util.concurrent.atomic.AtomicBoolean refreshing = new java.util.concurrent.atomic.AtomicBoolean();

        CachedStatus(long computedAt, Response value) {
            this.computedAt = computedAt;
            this.value = value;
        }
    }

    private final java.util.concurrent.ConcurrentHashMap<String, CachedStatus> statusCache =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<String, Uni<Response>> firstStatus =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The cluster's status. Once computed it is served from memory; when it is older than a second the next request
     * still gets it at once and one refresh starts in the background, so many clients polling a large cluster cost
     * one set of queries per second and never wait for them (the status is at most about a second stale).
     */
    @GET
    @Path("/{name}/status")
    public Uni<Response> status(@PathParam("name") String name) {
        CachedStatus c = statusCache.get(name);
        if (c == null) {
            // the first computation is shared by every request that arrives while it runs
            Uni<Response> first = firstStatus.computeIfAbsent(name, k -> computeStatus(k)
                    .invoke(r -> {
                        statusCache.put(k, new CachedStatus(System.nanoTime(), r));
                        firstStatus.remove(k);
                    })
                    .onFailure().invoke(e -> firstStatus.remove(k))
                    .memoize().indefinitely());
            return first.map(r -> Response.fromResponse(r).build());
        }
        if (System.nanoTime() - c.computedAt > STATUS_TTL_NANOS && c.refreshing.compareAndSet(false, true)) {
            computeStatus(name).subscribe().with(
                    r -> statusCache.put(name, new CachedStatus(System.nanoTime(), r)),
                    e -> c.refreshing.set(false));
        }
        return Uni.createFrom().item(Response.fromResponse(c.value).build());
    }

    private Uni<Response> computeStatus(String name) {
        return forCluster(name, s -> rows(s, name, TASK_COUNTS)
                .chain(tasks -> rows(s, name, FAILED_QUANTA)
                        .chain(failed -> rows(s, name, DATASET_COUNTS)
                                .chain(datasets -> rows(s, name, QUARANTINED)
                                        .map(quarantined -> Response.ok(assemble(name, taskOrder(), tasks, failed,
                                                datasets, quarantined)).build())))));
    }

    /** The pipeline's task labels in order, so the status lists tasks as the pipeline runs them. */
    private List<String> taskOrder() {
        return pipeline.tasks().stream().map(PipelineGraphSource.Task::label).toList();
    }

    private static final String TASK_COUNTS = "SELECT task_label, state, count(*),"
            + " avg(extract(epoch FROM finished_at - started_at)) FILTER (WHERE state = 'done')"
            + " FROM quantum WHERE cluster = :c AND (run IS NULL OR run IN (SELECT run FROM cluster_run WHERE cluster = :c))"
            + " GROUP BY task_label, state ORDER BY task_label";
    private static final String FAILED_QUANTA = "SELECT task_label, id::text, data_id::text, error_type,"
            + " error_message, log_uri FROM quantum WHERE cluster = :c AND state = 'failed'"
            + " AND (run IS NULL OR run IN (SELECT run FROM cluster_run WHERE cluster = :c))"
            + " ORDER BY finished_at LIMIT 200";
    private static final String DATASET_COUNTS = "SELECT dataset_type, run, count(*) FROM dataset"
            + " WHERE cluster = :c GROUP BY dataset_type, run ORDER BY min(created_at)";
    private static final String QUARANTINED = "SELECT source_uri, quarantine_uri, problem, reason,"
            + " quarantined_at::text FROM quarantine WHERE cluster = :c ORDER BY quarantined_at";

    private static Uni<List<Object[]>> rows(Mutiny.Session s, String cluster, String sql) {
        return s.createNativeQuery(sql, Object[].class).setParameter("c", cluster).getResultList();
    }

    /** One quantum as operators see it; times are ISO-8601 UTC, null when not reached. */
    public record QuantumView(String id, String task, String dataId, String state, int attempt, String worker,
                              String createdAt, String startedAt, String finishedAt, String errorType,
                              String errorMessage, String logUri) {
    }

    @GET
    @Path("/{name}/quanta")
    public Uni<Response> quanta(@PathParam("name") String name, @QueryParam("state") String state) {
        return forCluster(name, s -> s.createNativeQuery("SELECT id::text, task_label, data_id::text, state, attempt, worker,"
                            + " (extract(epoch FROM created_at) * 1000)::bigint,"
                            + " (extract(epoch FROM started_at) * 1000)::bigint,"
                            + " (extract(epoch FROM finished_at) * 1000)::bigint,"
                            + " error_type, error_message, log_uri FROM quantum WHERE cluster = :c"
                            + " AND (cast(:st as text) IS NULL OR state = :st) ORDER BY created_at", Object[].class)
                    .setParameter("c", name).setParameter("st", state).getResultList()
                    .map(rows -> Response.ok(rows.stream().map(r -> new QuantumView((String) r[0], (String) r[1],
                            (String) r[2], (String) r[3], ((Number) r[4]).intValue(), (String) r[5], iso(r[6]),
                            iso(r[7]), iso(r[8]), (String) r[9], (String) r[10], (String) r[11])).toList())
                            .build()));
    }

    @GET
    @Path("/{name}/datasets")
    public Uni<Response> datasets(@PathParam("name") String name, @QueryParam("datasetType") String type) {
        return forCluster(name, s -> s.createNativeQuery("SELECT id::text, dataset_type, run, data_id::text, uri, byte_offset, byte_length,"
                            + " checksum, stored FROM dataset WHERE cluster = :c AND (cast(:t as text) IS NULL OR"
                            + " dataset_type = :t)"
                            + " ORDER BY dataset_type, data_id::text", Object[].class)
                    .setParameter("c", name).setParameter("t", type).getResultList()
                    .map(rows -> Response.ok(rows.stream().map(r -> new DatasetView((String) r[0], (String) r[1],
                            (String) r[2], (String) r[3], (String) r[4], r[5] == null ? null : num(r[5]),
                            r[6] == null ? null : num(r[6]), (String) r[7],
                            Boolean.FALSE.equals(r[8]) ? Boolean.FALSE : null)).toList()).build()));
    }

    private static final String DATASET_TYPE_COUNTS = "SELECT dataset_type, count(*) FROM dataset WHERE cluster = :c"
            + " GROUP BY dataset_type";

    /** The pipeline as task and dataset-type nodes with the cluster's states and counts, and their connections. */
    @GET
    @Path("/{name}/graph")
    public Uni<Response> graph(@PathParam("name") String name) {
        return forCluster(name, s -> rows(s, name, TASK_COUNTS)
                .chain(tasks -> rows(s, name, DATASET_TYPE_COUNTS)
                        .map(types -> Response.ok(PipelineGraph.build(name, pipeline.tasks(), graphCounts(tasks),
                                typeCounts(types))).build())));
    }

    /** The self-refreshing HTML status page of a cluster (it reads the JSON endpoints above). */
    @GET
    @Path("/{name}/page")
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> page(@PathParam("name") String name) {
        return forCluster(name, s -> Uni.createFrom().item(Response.ok(StatusPages.CLUSTER_PAGE,
                MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build()));
    }

    private static Map<String, PipelineGraph.Counts> graphCounts(List<Object[]> taskRows) {
        Map<String, PipelineGraph.Counts> out = new LinkedHashMap<>();
        for (Object[] r : taskRows) {
            PipelineGraph.Counts c = out.getOrDefault((String) r[0], PipelineGraph.Counts.NONE);
            long n = num(r[2]);
            Double mean = r[3] == null ? c.meanSeconds() : (Double) ((Number) r[3]).doubleValue();
            out.put((String) r[0], c.with((String) r[1], n).withMean(mean));
        }
        return out;
    }

    private static Map<String, Long> typeCounts(List<Object[]> rows) {
        Map<String, Long> out = new LinkedHashMap<>();
        rows.forEach(r -> out.put((String) r[0], num(r[1])));
        return out;
    }

    /** Runs {@code query} for a cluster the registry knows; answers 404 naming the known ones otherwise. */
    private Uni<Response> forCluster(String name, Function<Mutiny.Session, Uni<Response>> query) {
        return sessions.withSession(s -> known(s, name).chain(known -> known ? query.apply(s) : unknown(s, name)));
    }

    private static Uni<Boolean> known(Mutiny.Session s, String name) {
        return s.createNativeQuery("SELECT count(*) FROM cluster WHERE name = :n", Long.class)
                .setParameter("n", name).getSingleResult().map(n -> n > 0);
    }

    private static Uni<Response> unknown(Mutiny.Session s, String name) {
        return s.createNativeQuery("SELECT name FROM cluster ORDER BY name", String.class).getResultList()
                .map(names -> Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorBody("no cluster named '"
                        + name + "' has landed raws; known clusters: " + (names.isEmpty() ? "(none yet)"
                        : String.join(", ", names)))).build());
    }

    private static ClusterStatus assemble(String name, List<String> order, List<Object[]> taskRows,
                                          List<Object[]> failRows, List<Object[]> dsRows, List<Object[]> qRows) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, Double> means = new LinkedHashMap<>();
        for (Object[] r : taskRows) {
            long[] c = counts.computeIfAbsent((String) r[0], k -> new long[6]);
            int i = switch ((String) r[1]) {
                case "pending" -> 0;
                case "running" -> 1;
                case "done" -> 2;
                case "dep_fail" -> 4;
                case "unready" -> 5;
                default -> 3;
            };
            c[i] = num(r[2]);
            if (r[3] != null) {
                means.put((String) r[0], ((Number) r[3]).doubleValue());
            }
        }
        List<ClusterStatus.TaskStatus> tasks = new ArrayList<>();
        counts.forEach((task, c) -> tasks.add(new ClusterStatus.TaskStatus(task, c[5], c[0], c[1], c[2], c[3], c[4],
                means.get(task), failRows.stream().filter(f -> task.equals(f[0]))
                .map(f -> new ClusterStatus.FailedQuantum((String) f[1], (String) f[2], (String) f[3], (String) f[4],
                        (String) f[5])).toList())));
        // pipeline order; tasks no longer in the pipeline (quanta of an earlier configuration) last, by label
        tasks.sort(java.util.Comparator.comparingInt(t -> order.contains(t.task()) ? order.indexOf(t.task())
                : order.size()));
        List<ClusterStatus.DatasetCount> datasets = dsRows.stream()
                .map(r -> new ClusterStatus.DatasetCount((String) r[0], (String) r[1], num(r[2]))).toList();
        List<ClusterStatus.Quarantined> quarantined = qRows.stream().map(r -> new ClusterStatus.Quarantined(
                (String) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4])).toList();
        return new ClusterStatus(name, tasks, datasets, quarantined);
    }

    private static String iso(Object epochMillis) {
        return epochMillis == null ? null : java.time.Instant.ofEpochMilli(((Number) epochMillis).longValue()).toString();
    }

    private static long num(Object o) {
        return ((Number) o).longValue();
    }
}
