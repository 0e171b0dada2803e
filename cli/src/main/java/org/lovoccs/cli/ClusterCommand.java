package org.lovoccs.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code ./lovoccs cluster create|show|complete} and {@code ./lovoccs pipetask retry}: clusters as first-class
 * objects, and re-running a cluster's failed quanta.
 */
final class ClusterCommand {
    static final String USAGE = """
            usage: lovoccs cluster create NAME --ra DEG --dec DEG [--z Z] [--bands r:ps1,g:ps1,i:ps1,z:ps1,u:sdss]
                                          [-c LABEL:FIELD=VALUE ...]   the cluster's own config overrides, e.g.
                                                        -c selectVisit:minGoodDetectors=5 (a field with few CCDs)
                   lovoccs cluster show NAME
                   lovoccs cluster complete NAME [--wait SECONDS]
                                                        declare that every raw of the cluster has landed: the
                                                        master bias and flats are then made from its zeros and
                                                        flats; refused while raws of NAME still wait in the
                                                        landing bucket (--wait: wait for ingestion first)
                   lovoccs pipetask retry CLUSTER [--task LABEL]   re-run the failed and dep_fail quanta
                   lovoccs pipetask rerun CLUSTER [--step step1]   re-run a step into a new RUN
            """;

    private final Main main;

    ClusterCommand(Main main) {
        this.main = main;
    }

    int cluster(String[] a) {
        if (a.length < 2 || Arrays.asList(a).contains("--help")) {
            System.out.print(USAGE);
            return a.length < 2 ? 2 : 0;
        }
        String name = a[1];
        JsonNode c = switch (a[0]) {
            case "create" -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", name);
                body.put("ra", number(a, "--ra", true));
                body.put("dec", number(a, "--dec", true));
                body.put("redshift", number(a, "--z", false));
                Map<String, String> bands = new LinkedHashMap<>();
                String spec = Main.option(a, "--bands", "u:sdss,g:ps1,r:ps1,i:ps1,z:ps1");
                for (String b : spec.split(",")) {
                    String[] kv = b.split(":", 2);
                    if (kv.length != 2) {
                        throw new Main.UsageException("--bands takes BAND:REFCAT pairs like r:ps1,u:sdss, got '" + b
                                + "'");
                    }
                    bands.put(kv[0].trim(), kv[1].trim());
                }
                body.put("bands", bands);
                Map<String, String> config = new LinkedHashMap<>();
                for (int i = 0; i < a.length - 1; i++) {
                    if (a[i].equals("-c") || a[i].equals("--config")) {
                        String kv = a[++i];
                        int eq = kv.indexOf('=');
                        if (eq <= 0 || kv.indexOf(':') <= 0 || kv.indexOf(':') > eq) {
                            throw new Main.UsageException("-c takes LABEL:FIELD=VALUE, e.g."
                                    + " selectVisit:minGoodDetectors=5, got '" + kv + "'");
                        }
                        config.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
                    }
                }
                body.put("config", config);
                yield main.postJson("/cluster-admin/clusters", body);
            }
            case "show" -> main.getJson("/cluster-admin/clusters/" + Main.enc(name));
            case "complete" -> {
                awaitLanded(name, Integer.parseInt(Main.option(a, "--wait", "0")));
                yield main.postJson("/cluster-admin/clusters/" + Main.enc(name) + "/raws-complete", Map.of());
            }
            default -> throw new Main.UsageException("unknown cluster verb '" + a[0] + "'\n" + USAGE);
        };
        System.out.printf("%s: RA %s, Dec %s, z %s, bands %s, config %s, raws complete: %s%n", c.path("name").asText(),
                c.path("ra").isNull() ? "-" : c.path("ra").asText(), c.path("dec").isNull() ? "-"
                        : c.path("dec").asText(), c.path("redshift").isNull() ? "-"
                        : c.path("redshift").asText(), c.path("bands").asText(), c.path("config").asText("{}"),
                c.path("rawsCompleteAt").isNull() ? "not yet" : c.path("rawsCompleteAt").asText());
        return 0;
    }

    /**
     * Raws still in the landing bucket are not ingested yet: declaring the cluster complete now would make its master
     * calibrations without them. Waits up to {@code seconds} for ingestion to take them (or quarantine them).
     */
    private static void awaitLanded(String cluster, int seconds) {
        String bucket = System.getenv().getOrDefault("LOVOCCS_LANDING_BUCKET", "lovoccs-landing");
        org.lovoccs.objectstore.ObjectStore store = org.lovoccs.objectstore.ObjectStore.fromEnvironment();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            long waiting = store.list(bucket, cluster + "/").stream()
                    .filter(o -> o.key().endsWith(".fits") || o.key().endsWith(".fits.fz")).count();
            if (waiting == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new Main.CliException(waiting + " raws of " + cluster + " are still in s3://" + bucket + "/"
                        + cluster + "/, not ingested yet; declaring the cluster complete now would make its master"
                        + " calibrations without them. Wait for ingestion (--wait SECONDS) or check the ingestion"
                        + " service (./lovoccs services status).");
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Main.CliException("interrupted while waiting for " + cluster + "'s raws to be ingested");
            }
        }
    }

    int retry(String[] a) {
        String cluster = Main.arg(a, 0, "CLUSTER");
        String task = Main.optional(a, "--task");
        JsonNode r = main.postJson("/cluster-admin/clusters/" + Main.enc(cluster) + "/retry"
                + (task == null ? "" : "?task=" + Main.enc(task)), Map.of());
        System.out.printf("%d quanta of %s sent again%s; %d dep_fail quanta downstream wait for their inputs again;"
                        + " follow them with ./lovoccs status %s%n", r.path("retried").asInt(), cluster,
                task == null ? "" : " (task " + task + ")", r.path("dependants").asInt(), cluster);
        return 0;
    }

    int rerun(String[] a) {
        String cluster = Main.arg(a, 0, "CLUSTER");
        String step = Main.option(a, "--step", "step1");
        JsonNode r = main.postJson("/cluster-admin/clusters/" + Main.enc(cluster) + "/rerun?step=" + Main.enc(step),
                Map.of());
        System.out.printf("re-running %s of %s: %d quanta planned into %s (first in DECam/processing/%s/%s)%n",
                step, cluster, r.path("quanta").asInt(), r.path("run").asText(), cluster, step);
        return 0;
    }

    private static Double number(String[] a, String name, boolean required) {
        String v = Main.optional(a, name);
        if (v == null) {
            if (required) {
                throw new Main.UsageException("cluster create needs " + name + "\n" + USAGE);
            }
            return null;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new Main.UsageException(name + " must be a number, got '" + v + "'");
        }
    }
}
