package org.lovoccs.registry.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The status pages (self-contained HTML with their scripts inline), read once from the classpath. */
final class StatusPages {
    static final String CLUSTER_PAGE = load("status-ui/cluster.html");
    static final String INDEX_PAGE = load("status-ui/index.html");

    private static String load(String resource) {
        try (InputStream in = StatusPages.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StatusPages() {
    }
}
