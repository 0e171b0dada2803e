package org.lovoccs.isr;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.lovoccs.objectstore.ObjectStore;

/** The object store from configuration ({@code lovoccs.s3.*}, or the LOVOCCS_S3_* environment). */
@ApplicationScoped
public class StorageProducer {
    @Produces
    @ApplicationScoped
    ObjectStore objectStore(@ConfigProperty(name = "lovoccs.s3.endpoint") String endpoint,
                            @ConfigProperty(name = "lovoccs.s3.access-key") String accessKey,
                            @ConfigProperty(name = "lovoccs.s3.secret-key") String secretKey) {
        return new ObjectStore(endpoint, accessKey, secretKey);
    }
}
