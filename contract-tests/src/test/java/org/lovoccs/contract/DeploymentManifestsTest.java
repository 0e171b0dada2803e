package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Holds the deployment descriptions to what the services need: the Kubernetes manifests as
 * {@code kubectl kustomize k8s/} renders them, the dev overlay, and compose.yaml.
 *
 * <p>The repository root is the folder holding compose.yaml, searched upwards from
 * {@code LOVOCCS_ROOT} when that is set (surefire sets it) and from the working directory
 * otherwise. The Kubernetes checks need {@code kubectl} (with its built-in kustomize); without
 * it they fail and say so, unless {@code -Dlovoccs.allowMissingKubectl=true} turns that into a
 * skip. {@code -Dlovoccs.kubectl=/path/to/kubectl} picks a kubectl off the PATH.
 */
class DeploymentManifestsTest {

    // Groups of settings several services share; a service lists the groups it needs.
    static final String KAFKA = "KAFKA_BOOTSTRAP_SERVERS";
    static final String S3 = "LOVOCCS_S3_ENDPOINT LOVOCCS_S3_ACCESS_KEY LOVOCCS_S3_SECRET_KEY";
    static final String POSTGRES = "QUARKUS_DATASOURCE_REACTIVE_URL QUARKUS_DATASOURCE_JDBC_URL"
            + " QUARKUS_DATASOURCE_USERNAME QUARKUS_DATASOURCE_PASSWORD";

    /**
     * The deployed services: name, HTTP port, and the environment each must be given
     * ({@code NAME=value} pins the value). Adding a service to the system is one line here.
     */
    static final List<Svc> SERVICES = List.of(
            new Svc("ingestion", 8081, KAFKA, S3, "LOVOCCS_LANDING_BUCKET LOVOCCS_REPO_BUCKET LOVOCCS_LANDING_WATCH=false"
                    + " LOVOCCS_REGISTRY_URL=http://registry:8080"),
            new Svc("registry", 8080, KAFKA, POSTGRES),
            new Svc("isr", 8082, KAFKA, S3, "LOVOCCS_REPO_BUCKET"),
            new Svc("calibration", 8083, KAFKA, S3, "LOVOCCS_REPO_BUCKET"));

    /** Settings that are credentials: in Kubernetes they come from the Secret, never a ConfigMap. */
    static final Set<String> CREDENTIALS = Set.of("LOVOCCS_S3_ACCESS_KEY", "LOVOCCS_S3_SECRET_KEY",
            "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");

    static final String SECRET = "lovoccs-credentials";
    static final String NAMESPACE = "lovoccs";
    static final String LANDING_TOPIC = "raw.landed";
    static final List<String> TOPICS = List.of("raw.landed", "raw.ingested", "raw.quarantined", "dataset.ready",
            "quantum.ready.isr", "quantum.ready.calibration", "quantum.started", "quantum.finished", "lovoccs.deadletter");

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<Path, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    static Stream<Svc> services() {
        return SERVICES.stream();
    }

    // ------------------------------------------------------------------ Kubernetes: base

    @Test
    void kustomizeRendersTheBaseIntoTheLovoccsNamespace() {
        List<JsonNode> docs = k8s();
        assertTrue(find(docs, "Namespace", NAMESPACE).isPresent(), "no Namespace " + NAMESPACE + " in k8s/");
        for (JsonNode doc : docs) {
            if (doc.path("kind").asText().equals("Namespace")) {
                continue;
            }
            assertEquals(NAMESPACE, doc.path("metadata").path("namespace").asText(),
                    describe(doc) + " is not in namespace " + NAMESPACE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void deploymentRunsTheImageOnItsPortWithProbes(Svc svc) {
        List<JsonNode> docs = k8s();
        JsonNode container = container(docs, svc);
        String image = container.path("image").asText();
        assertTrue(image.matches("lovoccs/" + Pattern.quote(svc.name()) + ":[\\w][\\w.-]*"),
                "Deployment " + svc.name() + ": image " + image + " is not lovoccs/" + svc.name() + ":<tag>");

        Map<String, Integer> ports = containerPorts(container);
        assertTrue(ports.containsValue(svc.port()),
                "Deployment " + svc.name() + ": no containerPort " + svc.port() + " (has " + ports.values() + ")");

        assertProbe(svc, container, "readinessProbe", "/q/health/ready", ports);
        assertProbe(svc, container, "livenessProbe", "/q/health/live", ports);
        JsonNode startup = container.path("startupProbe");
        if (!startup.isMissingNode()) {
            assertTrue(startup.path("httpGet").path("path").asText().startsWith("/q/health/"),
                    "Deployment " + svc.name() + ": startupProbe is not on /q/health/...");
        }

        JsonNode resources = container.path("resources");
        for (String field : List.of("requests/cpu", "requests/memory", "limits/memory")) {
            String[] f = field.split("/");
            assertFalse(resources.path(f[0]).path(f[1]).asText().isBlank(),
                    "Deployment " + svc.name() + ": no resources." + f[0] + "." + f[1]);
        }

        JsonNode podSpec = deployment(docs, svc).path("spec").path("template").path("spec");
        boolean nonRoot = podSpec.path("securityContext").path("runAsNonRoot").asBoolean(false)
                || container.path("securityContext").path("runAsNonRoot").asBoolean(false);
        assertTrue(nonRoot, "Deployment " + svc.name() + ": runAsNonRoot is not set");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void deploymentGetsEverySettingFromConfigMapOrSecret(Svc svc) {
        List<JsonNode> docs = k8s();
        Map<String, EnvSource> env = environment(docs, container(docs, svc), svc);
        for (Map.Entry<String, String> required : svc.env().entrySet()) {
            String name = required.getKey();
            EnvSource source = env.get(name);
            assertNotNull(source, "Deployment " + svc.name() + ": " + name
                    + " is set neither from a ConfigMap nor from the Secret (has " + new TreeSet<>(env.keySet()) + ")");
            if (CREDENTIALS.contains(name)) {
                assertEquals("secret " + SECRET, source.from(),
                        "Deployment " + svc.name() + ": credential " + name + " must come from the Secret " + SECRET);
            }
            if (required.getValue() != null) {
                assertEquals(required.getValue(), source.value(),
                        "Deployment " + svc.name() + ": " + name + " (from " + source.from() + ")");
            }
        }
        EnvSource httpPort = env.get("QUARKUS_HTTP_PORT");
        if (httpPort != null && httpPort.value() != null) {
            assertEquals(String.valueOf(svc.port()), httpPort.value(),
                    "Deployment " + svc.name() + ": QUARKUS_HTTP_PORT disagrees with the containerPort");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void serviceExposesThePort(Svc svc) {
        List<JsonNode> docs = k8s();
        JsonNode deployment = deployment(docs, svc);
        JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");
        Map<String, Integer> ports = containerPorts(container(docs, svc));
        List<String> seen = new ArrayList<>();
        for (JsonNode service : ofKind(docs, "Service")) {
            JsonNode selector = service.path("spec").path("selector");
            if (selector.isEmpty() || !matches(selector, podLabels)) {
                continue;
            }
            for (JsonNode port : service.path("spec").path("ports")) {
                JsonNode target = port.has("targetPort") ? port.get("targetPort") : port.get("port");
                Integer targetPort = target.isInt() ? Integer.valueOf(target.asInt()) : ports.get(target.asText());
                seen.add(service.path("metadata").path("name").asText() + " " + port.path("port").asInt() + "->" + target.asText());
                if (port.path("port").asInt() == svc.port() && Integer.valueOf(svc.port()).equals(targetPort)) {
                    return;
                }
            }
        }
        fail("no Service selects the pods of Deployment " + svc.name() + " with port " + svc.port()
                + " to containerPort " + svc.port() + " (seen: " + seen + ")");
    }

    @Test
    void credentialsAreNeverInAConfigMap() {
        for (JsonNode configMap : ofKind(k8s(), "ConfigMap")) {
            for (String credential : CREDENTIALS) {
                assertFalse(configMap.path("data").has(credential),
                        describe(configMap) + " holds the credential " + credential + ": it belongs in the Secret " + SECRET);
            }
        }
    }

    @Test
    void everyTopicIsListed() {
        String listed = ofKind(k8s(), "ConfigMap").stream()
                .flatMap(cm -> stream(cm.path("data").elements()))
                .map(JsonNode::asText)
                .collect(Collectors.joining("\n"));
        for (String topic : TOPICS) {
            assertTrue(Pattern.compile("(?m)^\\s*" + Pattern.quote(topic) + "\\b").matcher(listed).find(),
                    "topic " + topic + " is not listed in any ConfigMap of k8s/");
        }
    }

    // ------------------------------------------------------------------ Kubernetes: dev overlay

    @Test
    void devOverlayRunsOneReplicaEachWithTheCredentialsItReferences() {
        List<JsonNode> docs = render(root().resolve("k8s/overlays/dev"));
        Optional<JsonNode> secret = find(docs, "Secret", SECRET);
        assertTrue(secret.isPresent(), "k8s/overlays/dev has no Secret " + SECRET);
        JsonNode secretData = secret.get().has("data") ? secret.get().get("data") : secret.get().path("stringData");
        for (Svc svc : SERVICES) {
            JsonNode deployment = deployment(docs, svc);
            assertEquals(1, deployment.path("spec").path("replicas").asInt(-1),
                    "k8s/overlays/dev: Deployment " + svc.name() + " replicas");
            for (JsonNode ref : deployment.findValues("secretKeyRef")) {
                assertEquals(SECRET, ref.path("name").asText(), "k8s/overlays/dev: Deployment " + svc.name());
                assertTrue(secretData.has(ref.path("key").asText()),
                        "k8s/overlays/dev: Secret " + SECRET + " lacks key " + ref.path("key").asText()
                                + " that Deployment " + svc.name() + " reads");
            }
        }
    }

    // ------------------------------------------------------------------ compose.yaml

    @Test
    void composeRunsKafkaPostgresAndMinioFromOfficialImages() {
        JsonNode services = compose().path("services");
        assertTrue(image(services, "kafka").startsWith("apache/kafka"), "compose: kafka image " + image(services, "kafka"));
        assertTrue(image(services, "postgres").startsWith("postgres:"), "compose: postgres image " + image(services, "postgres"));
        assertTrue(image(services, "minio").matches("(quay\\.io/)?minio/minio(:.*)?"), "compose: minio image " + image(services, "minio"));
        assertEquals("lovoccs", env(services.path("postgres")).get("POSTGRES_DB"), "compose: postgres POSTGRES_DB");

        Map<String, String> kafka = env(services.path("kafka"));
        assertTrue(kafka.getOrDefault("KAFKA_PROCESS_ROLES", "").contains("controller"),
                "compose: kafka is not a KRaft broker+controller (KAFKA_PROCESS_ROLES)");
    }

    @Test
    void composeMinioPublishesLandingEventsToKafka() {
        JsonNode services = compose().path("services");
        Map<String, String> minio = env(services.path("minio"));
        assertTrue(Set.of("on", "true").contains(minio.getOrDefault("MINIO_NOTIFY_KAFKA_ENABLE_PRIMARY", "").toLowerCase()),
                "compose: minio MINIO_NOTIFY_KAFKA_ENABLE_PRIMARY is not on");
        assertEquals(LANDING_TOPIC, minio.get("MINIO_NOTIFY_KAFKA_TOPIC_PRIMARY"), "compose: minio MINIO_NOTIFY_KAFKA_TOPIC_PRIMARY");
        String brokers = minio.getOrDefault("MINIO_NOTIFY_KAFKA_BROKERS_PRIMARY", "");
        assertFalse(brokers.isBlank(), "compose: minio MINIO_NOTIFY_KAFKA_BROKERS_PRIMARY is not set");
        for (String broker : brokers.split(",")) {
            assertAdvertised(services, broker.trim(), "minio MINIO_NOTIFY_KAFKA_BROKERS_PRIMARY");
        }

        // The one-shot mc service: both buckets, and puts in the landing bucket notified to Kafka.
        List<String> scripts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            JsonNode service = it.next().getValue();
            if (service.path("image").asText().matches("(quay\\.io/)?minio/mc(:.*)?")) {
                scripts.add(text(service.path("entrypoint")) + " " + text(service.path("command")));
            }
        }
        assertFalse(scripts.isEmpty(), "compose: no minio/mc service to create the buckets and the notification");
        String script = String.join("\n", scripts);
        for (String needed : List.of("lovoccs-landing", "lovoccs-repo", "mc event add", "arn:minio:sqs::PRIMARY:kafka", "put")) {
            assertTrue(script.contains(needed), "compose: the minio/mc init does not contain '" + needed + "'");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void composeBuildsAndRunsTheService(Svc svc) throws IOException {
        JsonNode services = compose().path("services");
        JsonNode entry = services.path(svc.name());
        assertTrue(entry.isObject(), "compose.yaml has no service " + svc.name());
        String where = "compose: " + svc.name() + ": ";

        JsonNode build = entry.path("build");
        String context = build.isTextual() ? build.asText() : build.path("context").asText();
        assertEquals("services/" + svc.name(), context.replaceFirst("^\\./", "").replaceFirst("/$", ""), where + "build context");
        assertEquals("src/main/docker/Dockerfile.jvm", build.path("dockerfile").asText(), where + "build dockerfile");
        assertDockerfile(svc, root().resolve(context).resolve("src/main/docker/Dockerfile.jvm"));

        String image = entry.path("image").asText();
        assertTrue(image.matches("lovoccs/" + Pattern.quote(svc.name()) + ":[\\w][\\w.-]*"), where + "image " + image);

        Map<String, String> env = env(entry);
        for (Map.Entry<String, String> required : svc.env().entrySet()) {
            assertTrue(env.containsKey(required.getKey()), where + "environment lacks " + required.getKey());
            if (required.getValue() != null) {
                assertEquals(required.getValue(), interpolateDefaults(env.get(required.getKey())), where + required.getKey());
            }
        }
        assertAdvertised(services, interpolateDefaults(env.get("KAFKA_BOOTSTRAP_SERVERS")), svc.name() + " KAFKA_BOOTSTRAP_SERVERS");

        List<Integer> containerPorts = new ArrayList<>();
        for (JsonNode port : entry.path("ports")) {
            if (port.isObject()) {
                containerPorts.add(port.path("target").asInt());
            } else {
                String spec = interpolateDefaults(port.asText()).replaceFirst("/(tcp|udp)$", "");
                containerPorts.add(Integer.parseInt(spec.substring(spec.lastIndexOf(':') + 1)));
            }
        }
        assertTrue(containerPorts.contains(svc.port()), where + "port " + svc.port() + " is not published (has " + containerPorts + ")");

        String healthcheck = text(entry.path("healthcheck").path("test"));
        assertTrue(healthcheck.contains("/q/health/") && healthcheck.contains(":" + svc.port() + "/"),
                where + "healthcheck is not on the service's /q/health/ endpoint: " + healthcheck);

        JsonNode dependsOn = entry.path("depends_on");
        assertTrue(dependsOn.isObject() && dependsOn.has("kafka"), where + "depends_on kafka (with a condition) is missing");
        for (Iterator<Map.Entry<String, JsonNode>> it = dependsOn.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> dependency = it.next();
            assertTrue(services.has(dependency.getKey()), where + "depends on unknown service " + dependency.getKey());
            assertTrue(dependency.getValue().path("condition").asText().startsWith("service_"),
                    where + "depends_on " + dependency.getKey() + " has no condition");
        }
    }

    // ------------------------------------------------------------------ the services

    /** A service: its name, HTTP port, and required environment (value null: any value). */
    record Svc(String name, int port, Map<String, String> env) {
        Svc(String name, int port, String... settings) {
            this(name, port, parse(settings));
        }

        private static Map<String, String> parse(String... settings) {
            Map<String, String> env = new LinkedHashMap<>();
            for (String group : settings) {
                for (String setting : group.trim().split("\\s+")) {
                    int eq = setting.indexOf('=');
                    env.put(eq < 0 ? setting : setting.substring(0, eq), eq < 0 ? null : setting.substring(eq + 1));
                }
            }
            return env;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Where a container's environment variable comes from, and its value when the manifests tell it. */
    record EnvSource(String from, String value) {}

    // ------------------------------------------------------------------ Kubernetes helpers

    static List<JsonNode> k8s() {
        return render(root().resolve("k8s"));
    }

    static List<JsonNode> render(Path dir) {
        return RENDERED.computeIfAbsent(dir, DeploymentManifestsTest::kustomize);
    }

    private static List<JsonNode> kustomize(Path dir) {
        String kubectl = System.getProperty("lovoccs.kubectl", "kubectl");
        List<String> command = List.of(kubectl, "kustomize", dir.toString());
        File out = null;
        File err = null;
        try {
            out = File.createTempFile("kustomize", ".yaml");
            err = File.createTempFile("kustomize", ".err");
            Process process;
            try {
                process = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
            } catch (IOException notThere) {
                kubectlMissing(kubectl, notThere);
                throw new AssertionError("unreachable");
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 120 s");
            }
            String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                fail(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + stderr);
            }
            List<JsonNode> docs = new ArrayList<>();
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(out)) {
                while (it.hasNextValue()) {
                    JsonNode doc = it.nextValue();
                    if (doc != null && doc.isObject() && !doc.isEmpty()) {
                        docs.add(doc);
                    }
                }
            }
            assertFalse(docs.isEmpty(), String.join(" ", command) + " rendered nothing");
            return docs;
        } catch (IOException e) {
            throw new AssertionError("cannot render " + dir + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted rendering " + dir, e);
        } finally {
            if (out != null) {
                out.delete();
            }
            if (err != null) {
                err.delete();
            }
        }
    }

    private static void kubectlMissing(String kubectl, IOException cause) {
        String message = "kubectl is not installed (could not run '" + kubectl + "': " + cause.getMessage() + "). "
                + "The Kubernetes manifests in k8s/ are checked by rendering them with `kubectl kustomize`: "
                + "install kubectl (https://kubernetes.io/docs/tasks/tools/ ; it includes kustomize) and put it on the PATH, "
                + "or point -Dlovoccs.kubectl=/path/to/kubectl at one. "
                + "To skip these checks deliberately, run with -Dlovoccs.allowMissingKubectl=true.";
        if (Boolean.getBoolean("lovoccs.allowMissingKubectl")) {
            Assumptions.assumeTrue(false, message);
        }
        fail(message);
    }

    static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    static Optional<JsonNode> find(List<JsonNode> docs, String kind, String name) {
        return ofKind(docs, kind).stream().filter(d -> d.path("metadata").path("name").asText().equals(name)).findFirst();
    }

    static JsonNode deployment(List<JsonNode> docs, Svc svc) {
        return find(docs, "Deployment", svc.name())
                .orElseGet(() -> fail("no Deployment " + svc.name() + " in the rendered manifests (Deployments: "
                        + ofKind(docs, "Deployment").stream().map(d -> d.path("metadata").path("name").asText()).toList() + ")"));
    }

    /** The container that runs the service's image (the Deployment may have sidecars). */
    static JsonNode container(List<JsonNode> docs, Svc svc) {
        JsonNode containers = deployment(docs, svc).path("spec").path("template").path("spec").path("containers");
        List<String> images = new ArrayList<>();
        for (JsonNode container : containers) {
            images.add(container.path("image").asText());
            if (container.path("image").asText().startsWith("lovoccs/" + svc.name() + ":")) {
                return container;
            }
        }
        return fail("Deployment " + svc.name() + " has no container with image lovoccs/" + svc.name() + ":<tag> (images: " + images + ")");
    }

    static Map<String, Integer> containerPorts(JsonNode container) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (JsonNode port : container.path("ports")) {
            String name = port.path("name").asText();
            ports.put(name.isEmpty() ? "#" + port.path("containerPort").asInt() : name, port.path("containerPort").asInt());
        }
        return ports;
    }

    static void assertProbe(Svc svc, JsonNode container, String probe, String path, Map<String, Integer> ports) {
        JsonNode httpGet = container.path(probe).path("httpGet");
        assertTrue(httpGet.isObject(), "Deployment " + svc.name() + ": no " + probe + " with httpGet");
        assertEquals(path, httpGet.path("path").asText(), "Deployment " + svc.name() + ": " + probe + " path");
        JsonNode port = httpGet.path("port");
        Integer resolved = port.isInt() ? Integer.valueOf(port.asInt()) : ports.get(port.asText());
        assertEquals(Integer.valueOf(svc.port()), resolved, "Deployment " + svc.name() + ": " + probe + " port " + port.asText());
    }

    /** The container's environment as Kubernetes builds it: envFrom in order, then env, later ones winning. */
    static Map<String, EnvSource> environment(List<JsonNode> docs, JsonNode container, Svc svc) {
        Map<String, EnvSource> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String prefix = from.path("prefix").asText();
            if (from.has("configMapRef")) {
                JsonNode ref = from.get("configMapRef");
                String name = ref.path("name").asText();
                Optional<JsonNode> configMap = find(docs, "ConfigMap", name);
                if (configMap.isEmpty()) {
                    assertTrue(ref.path("optional").asBoolean(false),
                            "Deployment " + svc.name() + ": envFrom ConfigMap " + name + " is not in the manifests");
                    continue;
                }
                configMap.get().path("data").fields().forEachRemaining(
                        e -> env.put(prefix + e.getKey(), new EnvSource("configmap " + name, e.getValue().asText())));
            } else if (from.has("secretRef")) {
                // Its keys are not known here: credentials must be named one by one (secretKeyRef).
                assertEquals(SECRET, from.get("secretRef").path("name").asText(),
                        "Deployment " + svc.name() + ": envFrom secretRef");
            }
        }
        for (JsonNode var : container.path("env")) {
            String name = var.path("name").asText();
            JsonNode valueFrom = var.path("valueFrom");
            if (valueFrom.has("secretKeyRef")) {
                String secret = valueFrom.get("secretKeyRef").path("name").asText();
                assertEquals(SECRET, secret, "Deployment " + svc.name() + ": " + name + " reads a Secret other than " + SECRET);
                env.put(name, new EnvSource("secret " + secret, null));
            } else if (valueFrom.has("configMapKeyRef")) {
                JsonNode ref = valueFrom.get("configMapKeyRef");
                String configMap = ref.path("name").asText();
                JsonNode data = find(docs, "ConfigMap", configMap)
                        .orElseGet(() -> fail("Deployment " + svc.name() + ": " + name + " reads the missing ConfigMap " + configMap))
                        .path("data");
                assertTrue(data.has(ref.path("key").asText()),
                        "Deployment " + svc.name() + ": ConfigMap " + configMap + " lacks key " + ref.path("key").asText());
                env.put(name, new EnvSource("configmap " + configMap, data.get(ref.path("key").asText()).asText()));
            } else if (var.has("value")) {
                env.put(name, new EnvSource("literal", var.get("value").asText()));
            }
        }
        return env;
    }

    static boolean matches(JsonNode selector, JsonNode labels) {
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    static String describe(JsonNode doc) {
        return doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText();
    }

    // ------------------------------------------------------------------ compose helpers

    static JsonNode compose() {
        Path file = root().resolve("compose.yaml");
        try {
            JsonNode compose = YAML.readTree(file.toFile());
            assertTrue(compose != null && compose.path("services").isObject(), file + " has no services");
            return compose;
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + ": " + e, e);
        }
    }

    static String image(JsonNode services, String name) {
        assertTrue(services.path(name).isObject(), "compose.yaml has no service " + name);
        return services.path(name).path("image").asText();
    }

    /** A compose service's environment, in either the map or the list form. */
    static Map<String, String> env(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode environment = service.path("environment");
        if (environment.isObject()) {
            environment.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        } else {
            for (JsonNode item : environment) {
                String s = item.asText();
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return env;
    }

    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?}");

    /** What compose makes of {@code ${VAR:-default}} when VAR is unset. */
    static String interpolateDefaults(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = INTERPOLATION.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) == null ? "" : m.group(1)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The broker address must be one the kafka service advertises, so other containers can reach it. */
    static void assertAdvertised(JsonNode services, String broker, String who) {
        String advertised = interpolateDefaults(env(services.path("kafka")).getOrDefault("KAFKA_ADVERTISED_LISTENERS", ""));
        List<String> addresses = Arrays.stream(advertised.split(","))
                .map(l -> l.replaceFirst("^[^:]*://", "").trim())
                .toList();
        assertTrue(addresses.contains(broker),
                "compose: " + who + " = " + broker + " is not a listener kafka advertises (" + addresses + ")");
        assertFalse(broker.startsWith("localhost") || broker.startsWith("127."),
                "compose: " + who + " = " + broker + " is the host's listener, not the one containers reach");
    }

    static void assertDockerfile(Svc svc, Path dockerfile) throws IOException {
        assertTrue(Files.isRegularFile(dockerfile), "no " + dockerfile);
        List<String> lines = Files.readAllLines(dockerfile).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        String where = root().relativize(dockerfile) + ": ";
        assertTrue(lines.stream().anyMatch(l -> l.matches("(?i)FROM\\s+\\S*(eclipse-temurin:17|openjdk-17)\\S*.*")),
                where + "not FROM a Java 17 base (eclipse-temurin:17-jre or ubi9/openjdk-17-runtime)");
        for (String part : List.of("lib/", "*.jar", "app/", "quarkus/")) {
            assertTrue(lines.stream().anyMatch(l -> l.matches("(?i)COPY\\s.*target/quarkus-app/" + Pattern.quote(part) + "\\s.*")),
                    where + "does not copy target/quarkus-app/" + part);
        }
        assertTrue(lines.stream().anyMatch(l -> l.matches("(?i)EXPOSE\\s+(.*\\s)?" + svc.port() + "(/tcp)?(\\s.*)?")),
                where + "does not EXPOSE " + svc.port());
        List<String> users = lines.stream().filter(l -> l.matches("(?i)USER\\s+.*")).toList();
        assertFalse(users.isEmpty(), where + "sets no USER: it would run as the base image's user");
        String user = users.get(users.size() - 1).split("\\s+")[1].split(":")[0];
        assertFalse(user.equals("root") || user.equals("0"), where + "runs as root");
    }

    static String text(JsonNode node) {
        if (node.isArray()) {
            return stream(node.elements()).map(JsonNode::asText).collect(Collectors.joining(" "));
        }
        return node.isMissingNode() || node.isNull() ? "" : node.asText();
    }

    static <T> Stream<T> stream(Iterator<T> it) {
        Iterable<T> iterable = () -> it;
        return java.util.stream.StreamSupport.stream(iterable.spliterator(), false);
    }

    // ------------------------------------------------------------------ the repository

    private static volatile Path root;

    /** The folder holding compose.yaml, from LOVOCCS_ROOT (when set) or the working directory upwards. */
    static Path root() {
        Path found = root;
        if (found == null) {
            String env = System.getenv("LOVOCCS_ROOT");
            Path start = (env == null || env.isBlank() ? Path.of("") : Path.of(env)).toAbsolutePath().normalize();
            for (Path p = start; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("compose.yaml"))) {
                    found = p;
                    break;
                }
            }
            if (found == null) {
                fail("no compose.yaml in " + start + " or any folder above it: set LOVOCCS_ROOT to the repository root");
            }
            root = found;
        }
        return found;
    }
}
