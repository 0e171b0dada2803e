package org.lovoccs.ingestion.landing;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.lovoccs.events.EventCodec;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one question ingestion asks the registry: are these raw datasets recorded already? Ingestion still never
 * writes the registry; it only reads, so that {@code butler ingest-raws} run twice transfers nothing the second
 * time and says so, and so that landing never ingests an exposure twice or copies over the file its raws point into.
 */
@ApplicationScoped
public class RegistryClient {
    @ConfigProperty(name = "lovoccs.registry.url")
    String registryUrl;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A raw dataset the registry holds: the cluster it was ingested for (null if none) and its checksum. */
    public record Holder(String cluster, String checksum) {
    }

    /**
     * Those of {@code ids} the registry holds, with the cluster each was ingested for and its checksum.
     *
     * @throws IOException the registry cannot be asked (the caller reports it; guessing would either copy again or
     *                     skip a raw that was never recorded)
     */
    Map<UUID, Holder> holders(List<UUID> ids) throws IOException {
        String body = EventCodec.JSON.writeValueAsString(Map.of("ids", ids));
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(registryUrl + "/butler/datasets-present"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("cannot ask the registry at " + registryUrl + " which raws it holds (" + e
                    + "); is it running? (lovoccs.registry.url / LOVOCCS_REGISTRY_URL)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking the registry", e);
        }
        if (r.statusCode() != 200) {
            throw new IOException("the registry at " + registryUrl + " answered " + r.statusCode()
                    + " to datasets-present: " + r.body());
        }
        JsonNode answer = EventCodec.JSON.readTree(r.body());
        Map<UUID, Holder> held = new LinkedHashMap<>();
        for (JsonNode id : answer.path("present")) {
            JsonNode h = answer.path("holders").path(id.asText());
            held.put(UUID.fromString(id.asText()), new Holder(text(h.path("cluster")), text(h.path("checksum"))));
        }
        return held;
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }
}
