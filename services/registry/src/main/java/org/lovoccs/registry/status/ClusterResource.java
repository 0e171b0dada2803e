package org.lovoccs.registry.status;

import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.hibernate.reactive.mutiny.Mutiny;
import org.lovoccs.events.EventCodec;
import org.lovoccs.registry.orchestrator.RetryDispatcher;

/**
 * Clusters as first-class objects: created with their X-ray peak, redshift and bands (each with the reference
 * catalogue its photometric calibration uses), declared complete when all raws have landed; and the re-run of a
 * cluster's failed quanta ({@code ./lovoccs pipetask retry}).
 */
@Path("/cluster-admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ClusterResource {

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    RetryDispatcher retries;

    /** A cluster to create. */
    public record CreateCluster(String name, Double ra, Double dec, Double redshift, Map<String, String> bands,
                                Map<String, String> config) {
    }

    /** A cluster's record; {@code config}: its own overrides of the pipeline's config, {@code LABEL:FIELD} to value. */
    public record ClusterRecord(String name, Double ra, Double dec, Double redshift, String bands,
                                String rawsCompleteAt, String firstSeen, String config) {
    }

    @POST
    @Path("/clusters")
    public Uni<Response> create(CreateCluster c) {
        String problem = validate(c);
        if (problem != null) {
            return Uni.createFrom().item(Response.status(400).entity(Map.of("error", problem)).build());
        }
        return sessions.withTransaction(s -> s.createNativeQuery("INSERT INTO cluster (name, ra, dec, redshift, bands,"
                        + " config) VALUES (:n, :ra, :dec, :z, cast(cast(:b as text) as jsonb), cast(cast(:cfg as text)"
                        + " as jsonb)) ON CONFLICT (name) DO UPDATE SET ra = EXCLUDED.ra, dec = EXCLUDED.dec,"
                        + " redshift = EXCLUDED.redshift, bands = EXCLUDED.bands, config = EXCLUDED.config")
                .setParameter("n", c.name()).setParameter("ra", c.ra()).setParameter("dec", c.dec())
                .setParameter("z", c.redshift()).setParameter("b", EventCodec.toJson(c.bands() == null ? Map.of()
                        : c.bands()))
                .setParameter("cfg", EventCodec.toJson(c.config() == null ? Map.of() : c.config()))
                .executeUpdate())
                .chain(() -> get(c.name()));
    }

    /** A held-in-job override: {@code none}, or dataset types the pipeline's tasks make. */
    private static String validateHeld(String value, org.lovoccs.registry.orchestrator.OrchestratedPipeline pipeline) {
        String key = org.lovoccs.registry.orchestrator.QuantumClusters.HELD_IN_JOB_KEY;
        if (value == null || value.isBlank()) {
            return "config override '" + key + "' has no value: write none, or dataset types such as postISRCCD,icExp";
        }
        java.util.Set<String> made = new java.util.TreeSet<>();
        pipeline.tasks().forEach(t -> t.outputs().forEach(p -> made.add(p.type().name())));
        for (String type : org.lovoccs.registry.orchestrator.QuantumClusters.parseHeld(value)) {
            if (!made.contains(type)) {
                return "config override '" + key + "': no task of the orchestrator's pipeline (" + pipeline.source()
                        + ") makes a dataset type '" + type + "'; write none, or some of " + made;
            }
        }
        return null;
    }

    private String validate(CreateCluster c) {
        if (c == null || c.name() == null || !c.name().matches("[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}")) {
            return "a cluster name of 1-64 letters, digits, '_', '.', '+' or '-' is required";
        }
        if (c.ra() == null || !(c.ra() >= 0 && c.ra() < 360)) {
            return "ra (degrees, X-ray peak) must be in [0, 360), got " + c.ra();
        }
        if (c.dec() == null || !(c.dec() >= -90 && c.dec() <= 90)) {
            return "dec (degrees, X-ray peak) must be in [-90, 90], got " + c.dec();
        }
        if (c.redshift() != null && !(c.redshift() > 0 && c.redshift() < 3)) {
            return "redshift must be in (0, 3), got " + c.redshift();
        }
        if (c.bands() != null) {
            for (var e : c.bands().entrySet()) {
                if (!List.of("u", "g", "r", "i", "z", "Y").contains(e.getKey())) {
                    return "unknown band '" + e.getKey() + "'; valid bands are u, g, r, i, z, Y";
                }
                if (!List.of("ps1", "sdss", "des", "gaia", "atlas_refcat2").contains(e.getValue())) {
                    return "unknown reference catalogue '" + e.getValue() + "' for band " + e.getKey()
                            + "; valid ones are ps1, sdss, des, gaia, atlas_refcat2";
                }
            }
        }
        if (c.config() != null) {
            var pipeline = orchestrator.pipeline();
            for (var e : c.config().entrySet()) {
                String key = e.getKey();
                if (key.equals(org.lovoccs.registry.orchestrator.QuantumClusters.HELD_IN_JOB_KEY)) {
                    String problem = validateHeld(e.getValue(), pipeline);
                    if (problem != null) {
                        return problem;
                    }
                    continue;
                }
                int colon = key.indexOf(':');
                var task = colon > 0 ? pipeline.task(key.substring(0, colon)) : null;
                if (task == null) {
                    return "config override '" + key + "': write LABEL:FIELD with LABEL a task of the orchestrator's"
                            + " pipeline (" + pipeline.source() + "): " + pipeline.tasks().stream()
                            .map(t -> t.label()).toList();
                }
                String field = key.substring(colon + 1);
                if (!task.config().containsKey(field)) {
                    return "config override '" + key + "': " + task.label() + " (" + task.taskClass() + ") has no"
                            + " field '" + field + "'; its fields are " + new java.util.TreeSet<>(task.config()
                            .keySet());
                }
                if (e.getValue() == null || e.getValue().isBlank()) {
                    return "config override '" + key + "' has no value";
                }
            }
        }
        return null;
    }

    @GET
    @Path("/clusters/{name}")
    public Uni<Response> get(@PathParam("name") String name) {
        return sessions.withSession(s -> s.createNativeQuery("SELECT name, ra, dec, redshift, bands::text,"
                        + " raws_complete_at::text, first_seen::text, config::text FROM cluster WHERE name = :n",
                        Object[].class)
                .setParameter("n", name).getResultList())
                .map(rows -> rows.isEmpty()
                        ? Response.status(404).entity(Map.of("error", "no cluster named '" + name + "'")).build()
                        : Response.ok(new ClusterRecord((String) rows.get(0)[0], (Double) rows.get(0)[1],
                        (Double) rows.get(0)[2], (Double) rows.get(0)[3], (String) rows.get(0)[4],
                        (String) rows.get(0)[5], (String) rows.get(0)[6], (String) rows.get(0)[7])).build());
    }

    /**
     * Declares that every raw of the cluster has landed: the gathers (master bias, master flats) are planned over the
     * calibration exposures ingested so far.
     */
    @POST
    @Path("/clusters/{name}/raws-complete")
    public Uni<Response> rawsComplete(@PathParam("name") String name) {
        return sessions.withTransaction(s -> s.createNativeQuery("UPDATE cluster SET raws_complete_at ="
                + " coalesce(raws_complete_at, now()) WHERE name = :n").setParameter("n", name).executeUpdate())
                .chain(n -> n == 0
                        ? Uni.createFrom().item(Response.status(404).entity(Map.of("error", "no cluster named '"
                        + name + "'; create it with ./lovoccs cluster create")).build())
                        : orchestrator.planGathers(name).chain(g -> get(name))
                        .onFailure().recoverWithItem(e -> {
                            // the declaration is recorded; planning is idempotent, so declaring again retries it
                            LOG.errorf(e, "cluster %s: planning the gathers and the steps after them failed", name);
                            return Response.status(500).entity(Map.of("error", "cluster '" + name + "' is declared"
                                    + " complete, but planning its gathers (master calibrations) and the steps after"
                                    + " them failed: " + e + ". What it planned was rolled back; see the registry's log"
                                    + " (./lovoccs services status says where), fix the cause and run ./lovoccs cluster"
                                    + " complete " + name + " again (it plans only what is missing)")).build();
                        }));
    }

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ClusterResource.class);

    @Inject
    org.lovoccs.registry.orchestrator.Orchestrator orchestrator;

    /** Re-runs a step of the cluster into a new timestamped RUN chained first into the step's output collection. */
    @POST
    @Path("/clusters/{name}/rerun")
    public Uni<Response> rerun(@PathParam("name") String name, @QueryParam("step") String step) {
        return orchestrator.rerun(name, step == null ? "step1" : step)
                .map(r -> Response.ok(r).build())
                .onFailure(IllegalArgumentException.class).recoverWithItem(e -> Response.status(400)
                        .entity(Map.of("error", e.getMessage())).build());
    }

    /** Re-runs the cluster's failed and dep_fail quanta (of one task if given). */
    @POST
    @Path("/clusters/{name}/retry")
    public Uni<Response> retry(@PathParam("name") String name, @QueryParam("task") String task) {
        return retries.tasks(name).chain(tasks -> {
            if (tasks.isEmpty()) {
                return Uni.createFrom().item(Response.status(404).entity(Map.of("error", "cluster '" + name
                        + "' has no quanta")).build());
            }
            if (task != null && !tasks.contains(task)) {
                return Uni.createFrom().item(Response.status(404).entity(Map.of("error", "cluster '" + name
                        + "' has no quanta of task '" + task + "'; its tasks are " + tasks)).build());
            }
            return retries.retry(name, task).map(r -> Response.ok(Map.of("retried", r.failed(),
                    "dependants", r.dependants())).build());
        });
    }
}
