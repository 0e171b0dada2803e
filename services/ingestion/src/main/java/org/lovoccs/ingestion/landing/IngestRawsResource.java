package org.lovoccs.ingestion.landing;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.lovoccs.events.CollectionNames;
import org.lovoccs.objectstore.LocalFiles;
import org.lovoccs.objectstore.ObjectStoreException;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * {@code butler ingest-raws}, one raw per request (the command line runs {@code -j N} of them at once and shows
 * the progress): the raw at an {@code s3://} or {@code file:///} location goes through the landing code path
 * ({@link IngestRaws#ingestOnce}) with {@code --transfer copy} or {@code direct}. A bad raw is an answer (200,
 * status {@code bad} with its problem and reason), never an error: the user's file stays where it is.
 */
@Path("/ingest/raws")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class IngestRawsResource {

    @Inject
    IngestRaws ingest;

    /** One raw to ingest; {@code run} defaults to DECam/raw/all, {@code transfer} to copy. */
    public record Request(String cluster, String location, String transfer, String run) {
    }

    @POST
    public Response ingest(Request r) {
        if (r == null || r.cluster() == null || !r.cluster().matches("[A-Za-z0-9_.+-]+")) {
            return error(400, "cluster is required: letters, digits and _ . + - (the name the raws are processed"
                    + " under, e.g. A85), got '" + (r == null ? null : r.cluster()) + "'");
        }
        String mode = r.transfer() == null ? "copy" : r.transfer().toLowerCase(Locale.ROOT);
        IngestRaws.Transfer transfer;
        switch (mode) {
            case "copy" -> transfer = IngestRaws.Transfer.COPY;
            case "direct" -> transfer = IngestRaws.Transfer.DIRECT;
            default -> {
                return error(400, "--transfer must be copy (into the repository bucket) or direct (registered where"
                        + " it is), got '" + r.transfer() + "'");
            }
        }
        String run = r.run() == null || r.run().isBlank() ? CollectionNames.RAW_ALL : r.run();
        if (run.contains("*") || run.contains("?") || run.startsWith("/") || run.contains("//")) {
            return error(400, "--output-run must be a RUN name such as DECam/raw/all, got '" + run + "'");
        }
        RawSource source;
        try {
            source = RawSource.parse(r.location());
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
        if (source.isLanding(ingest.landingBucket())) {
            // landing owns that bucket: it would ingest the object too and then remove it from under a direct ref
            return error(400, source.uri() + " is in the landing bucket, which ingestion watches and empties itself;"
                    + " raws there are ingested as they land (check with './lovoccs status " + r.cluster() + "'), or"
                    + " copy them to another bucket to ingest them with ingest-raws");
        }
        try {
            IngestRaws.Outcome o = ingest.withRetries(source, () -> ingest.ingestOnce(source, r.cluster(), run,
                    transfer));
            if (o.status().equals(IngestRaws.Outcome.GONE)) {
                return error(404, source.file() != null
                        ? source.file() + " is not on the ingestion service's machine (" + LocalFiles.host() + "): a"
                        + " local folder must be visible to the ingestion service at the same path (it is on the"
                        + " embedded stack; on Kubernetes mount it as a shared volume, see docs/butler.md), or upload"
                        + " the raws to a bucket and ingest the s3:// prefix"
                        : "no object at " + source.uri() + " (check the bucket and key)");
            }
            return Response.ok(o).build();
        } catch (IOException | ObjectStoreException e) {
            return error(502, e.getMessage());
        } catch (RuntimeException e) {
            // e.g. Kafka refused the event: the raw is not recorded, and running the command again is safe
            return error(500, "ingesting " + source.uri() + " failed: " + e + "; nothing was recorded for it, run"
                    + " ingest-raws again (see the ingestion service's log)");
        }
    }

    private static Response error(int status, String message) {
        return Response.status(status).entity(Map.of("error", message)).type(MediaType.APPLICATION_JSON).build();
    }
}
