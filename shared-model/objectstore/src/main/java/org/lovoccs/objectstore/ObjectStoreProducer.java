package org.lovoccs.objectstore;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The services' {@link ObjectStore}, from {@code lovoccs.s3.endpoint}, {@code lovoccs.s3.access-key} and
 * {@code lovoccs.s3.secret-key} (each service maps them to the LOVOCCS_S3_* environment).
 */
@ApplicationScoped
public class ObjectStoreProducer {
    @Produces
    @ApplicationScoped
    ObjectStore objectStore(@ConfigProperty(name = "lovoccs.s3.endpoint") String endpoint,
                            @ConfigProperty(name = "lovoccs.s3.access-key") String accessKey,
                            @ConfigProperty(name = "lovoccs.s3.secret-key") String secretKey) {
        return new ObjectStore(endpoint, accessKey, secretKey);
    }
}
