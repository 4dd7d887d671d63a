package app.backbone.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** k8s/ (kustomize base and overlays) against the services' configuration and against itself. */
class KubernetesManifestsTest {

    /** Paths the providers call; they must reach the gateway (DESIGN.md section 3). */
    static final List<String> WEBHOOK_PATHS = List.of("/webhooks/stripe", "/webhooks/paystack", "/api/payment/webhook");
    static final String SECRET = "backbone-secrets";

    record Manifest(Path file, JsonNode doc) {
        String kind() {
            return doc.path("kind").asText();
        }

        String name() {
            return doc.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return kind() + "/" + name() + " (" + Project.ROOT.relativize(file) + ")";
        }
    }

    static Path k8s;
    static Path base;
    static List<Manifest> baseManifests;

    @BeforeAll
    static void load() {
        k8s = Project.ROOT.resolve("k8s");
        base = k8s.resolve("base");
        assertTrue(Files.exists(base.resolve("kustomization.yaml")), "k8s/base/kustomization.yaml");
        baseManifests = new ArrayList<>();
        for (String resource : listed(base, "resources")) {
            Path path = base.resolve(resource).normalize();
            if (Files.isRegularFile(path)) {
                Yaml.readAll(path).forEach(doc -> baseManifests.add(new Manifest(path, doc)));
            }
        }
        assertFalse(baseManifests.isEmpty(), "the base lists manifests");
    }

    // ---- files and kustomizations ----

    @Test
    void everyManifestParsesAndNamesItsKind() {
        List<Path> files = yamlFiles(k8s);
        assertTrue(files.size() >= 5, "manifests under k8s/: " + files);
        for (Path file : files) {
            List<JsonNode> docs = Yaml.readAll(file);
            assertFalse(docs.isEmpty(), file + " holds a document");
            for (JsonNode doc : docs) {
                assertNotNull(Yaml.text(doc, "apiVersion"), file + ": apiVersion");
                assertNotNull(Yaml.text(doc, "kind"), file + ": kind");
                if (!doc.path("kind").asText().equals("Kustomization")) {
                    assertNotNull(Yaml.text(doc, "metadata", "name"), file + ": metadata.name");
                }
            }
        }
    }

    @Test
    void theBaseKustomizationListsEveryManifestAndEveryListedFileExists() {
        Set<String> onDisk = new TreeSet<>();
        for (Path file : yamlFiles(base)) {
            String name = base.relativize(file).toString();
            if (!name.equals("kustomization.yaml") && !name.contains(".example.")) {
                onDisk.add(name);
            }
        }
        assertEquals(onDisk, new TreeSet<>(listed(base, "resources")),
                "k8s/base/kustomization.yaml resources vs the files in k8s/base (examples excluded)");
        for (Path kustomization : kustomizations()) {
            Path dir = kustomization.getParent();
            for (String field : List.of("resources", "components")) {
                for (String entry : listed(dir, field)) {
                    Path path = dir.resolve(entry).normalize();
                    assertTrue(Files.isRegularFile(path) || Files.exists(path.resolve("kustomization.yaml")),
                            kustomization + ": " + field + " entry " + entry + " exists");
                }
            }
            for (String patch : patchPaths(dir)) {
                assertTrue(Files.isRegularFile(dir.resolve(patch)), kustomization + ": patch " + patch + " exists");
            }
        }
    }

    @Test
    void theBaseHoldsNoSecretValues() {
        for (Manifest m : baseManifests) {
            assertFalse(m.kind().equals("Secret"), "the base must not carry a Secret: " + m);
        }
        assertTrue(listed(base, "secretGenerator").isEmpty(), "no secretGenerator in the base");
        assertEquals(1, exampleSecret().size(), "k8s/base/secrets.example.yaml documents the Secret " + SECRET);
    }

    @Test
    void overlaysPatchResourcesAndContainersThatExistInTheBase() {
        List<Path> overlays = kustomizations().stream().filter(k -> !k.getParent().equals(base)).toList();
        assertFalse(overlays.isEmpty(), "at least one overlay (production)");
        for (Path kustomization : overlays) {
            Path dir = kustomization.getParent();
            JsonNode k = Yaml.read(kustomization);
            for (String patch : patchPaths(dir)) {
                for (JsonNode doc : Yaml.readAll(dir.resolve(patch))) {
                    String kind = doc.path("kind").asText();
                    String name = doc.path("metadata").path("name").asText();
                    Manifest target = find(kind, name).orElseThrow(
                            () -> new AssertionError(dir.relativize(dir.resolve(patch)) + " patches " + kind + "/" + name
                                    + ", which the base does not define"));
                    for (JsonNode container : podSpecOf(doc).path("containers")) {
                        String containerName = container.path("name").asText();
                        assertTrue(container(target, containerName).isPresent(),
                                patch + ": container " + containerName + " of " + target);
                    }
                }
            }
            Set<String> baseImages = new TreeSet<>();
            workloads().forEach(w -> podSpec(w).path("containers").forEach(c -> baseImages.add(imageName(c))));
            k.path("images").forEach(image -> assertTrue(baseImages.contains(image.path("name").asText()),
                    kustomization + ": image " + image.path("name").asText() + " is used by the base " + baseImages));
            k.path("replicas").forEach(r -> assertTrue(find("Deployment", r.path("name").asText()).isPresent(),
                    kustomization + ": replicas for Deployment " + r.path("name").asText()));
        }
    }

    // ---- workloads ----

    @Test
    void everyServiceHasADeploymentProbedOnItsManagementPort() {
        for (Project.Service service : Project.services()) {
            Manifest deployment = require("Deployment", service.name());
            JsonNode container = container(deployment, service.name())
                    .orElseThrow(() -> new AssertionError(deployment + ": a container named " + service.name()));
            assertEquals("backbone/" + service.name(), imageName(container), deployment + ": image");
            Set<Integer> ports = new TreeSet<>();
            container.path("ports").forEach(p -> ports.add(p.path("containerPort").asInt()));
            int management = Project.managementPort();
            assertEquals(Set.of(service.port(), management), ports, deployment + ": containerPorts (service, management)");
            assertProbe(deployment, container, "livenessProbe", Set.of("/q/health/live"), management);
            assertProbe(deployment, container, "readinessProbe", Set.of("/q/health/ready"), management);
            assertProbe(deployment, container, "startupProbe", Set.of("/q/health/started", "/q/health/live"), management);
            JsonNode annotations = deployment.doc().path("spec").path("template").path("metadata").path("annotations");
            assertEquals("true", annotations.path("prometheus.io/scrape").asText(), deployment + ": scraped");
            assertEquals(String.valueOf(management), annotations.path("prometheus.io/port").asText(), deployment + ": scrape port");
            assertEquals("/q/metrics", annotations.path("prometheus.io/path").asText(), deployment + ": scrape path");
            JsonNode env = container.path("env");
            env.forEach(e -> assertFalse(Set.of("PORT", "QUARKUS_HTTP_PORT", "MANAGEMENT_PORT", "QUARKUS_MANAGEMENT_PORT")
                    .contains(e.path("name").asText()),
                    deployment + " must not move the port away from its probes"));
        }
    }

    @Test
    void everyWorkloadRunsUnprivilegedWithResourcesAndAReadOnlyRoot() {
        List<Manifest> workloads = workloads();
        assertTrue(workloads.size() >= Project.services().size() + 2, "the services, redis and the migration Job: " + workloads);
        for (Manifest workload : workloads) {
            JsonNode pod = podSpec(workload);
            assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), workload + ": no API token, none is needed");
            // Service links put variables like GATEWAY_PORT=tcp://10.0.0.7:80 in every pod, which Quarkus would read
            // as the property gateway.port: only the ConfigMaps and the Secret may configure the services.
            assertFalse(pod.path("enableServiceLinks").asBoolean(true), workload + ": enableServiceLinks false");
            for (JsonNode container : pod.path("containers")) {
                String where = workload + " container " + container.path("name").asText();
                JsonNode security = container.path("securityContext");
                boolean nonRoot = security.path("runAsNonRoot").asBoolean(pod.path("securityContext").path("runAsNonRoot").asBoolean(false));
                assertTrue(nonRoot, where + ": runAsNonRoot");
                assertTrue(security.path("readOnlyRootFilesystem").asBoolean(false), where + ": readOnlyRootFilesystem");
                assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), where + ": allowPrivilegeEscalation false");
                Set<String> dropped = new TreeSet<>();
                security.path("capabilities").path("drop").forEach(c -> dropped.add(c.asText()));
                assertTrue(dropped.contains("ALL"), where + ": drops ALL capabilities");
                for (String kind : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        assertNotNull(Yaml.text(container, "resources", kind, resource), where + ": resources." + kind + "." + resource);
                    }
                }
                if (moduleOf(container).isPresent()) {
                    assertTrue(hasEmptyDirAt(pod, container, "/tmp"), where + ": an emptyDir at /tmp (the root is read-only)");
                }
            }
        }
    }

    @Test
    void servicesSelectTheirDeploymentsPodsAndTargetContainerPorts() {
        List<Manifest> services = kind("Service");
        assertTrue(services.size() >= Project.services().size(), "a Service per service");
        for (Manifest service : services) {
            JsonNode selector = service.doc().path("spec").path("selector");
            assertTrue(selector.isObject() && selector.size() > 0, service + ": a selector");
            List<Manifest> selected = kind("Deployment").stream()
                    .filter(d -> matchesLabels(selector, podLabels(d))).toList();
            assertEquals(1, selected.size(), service + " selects the pods of exactly one Deployment: " + selected);
            Manifest deployment = selected.get(0);
            for (JsonNode port : service.doc().path("spec").path("ports")) {
                JsonNode target = port.has("targetPort") ? port.path("targetPort") : port.path("port");
                assertTrue(resolvePort(podSpec(deployment).path("containers"), target).isPresent(),
                        service + ": targetPort " + target.asText() + " is a container port of " + deployment);
            }
        }
        for (Manifest deployment : kind("Deployment")) {
            assertTrue(selects(deployment.doc().path("spec").path("selector"), podLabels(deployment)),
                    deployment + ": its selector matches its own pod labels");
        }
        for (Project.Service service : Project.services()) {
            Manifest svc = require("Service", service.name());
            assertTrue(matchesLabels(svc.doc().path("spec").path("selector"), podLabels(require("Deployment", service.name()))),
                    svc + " selects Deployment/" + service.name());
        }
    }

    // ---- traffic ----

    @Test
    void theIngressSendsEverythingIncludingWebhooksToTheGateway() {
        Manifest gatewayService = require("Service", Project.GATEWAY);
        Set<String> mustCover = new TreeSet<>(WEBHOOK_PATHS);
        mustCover.add("/");
        mustCover.addAll(gatewayRoutePrefixes());
        List<Manifest> ingresses = new ArrayList<>(kind("Ingress"));
        for (Path kustomization : kustomizations()) {
            for (String patch : patchPaths(kustomization.getParent())) {
                Path file = kustomization.getParent().resolve(patch);
                Yaml.readAll(file).stream().filter(d -> d.path("kind").asText().equals("Ingress"))
                        .forEach(d -> ingresses.add(new Manifest(file, d)));
            }
        }
        assertFalse(ingresses.isEmpty(), "an Ingress");
        for (Manifest ingress : ingresses) {
            JsonNode rules = ingress.doc().path("spec").path("rules");
            assertTrue(rules.size() > 0, ingress + ": rules");
            for (JsonNode rule : rules) {
                List<JsonNode> paths = new ArrayList<>();
                rule.path("http").path("paths").forEach(paths::add);
                for (JsonNode path : paths) {
                    JsonNode backend = path.path("backend").path("service");
                    assertEquals(gatewayService.name(), backend.path("name").asText(), ingress + ": backend of " + path.path("path"));
                    JsonNode port = backend.path("port");
                    boolean exposed = false;
                    for (JsonNode p : gatewayService.doc().path("spec").path("ports")) {
                        exposed |= port.has("name") ? p.path("name").asText().equals(port.path("name").asText())
                                : p.path("port").asInt() == port.path("number").asInt();
                    }
                    assertTrue(exposed, ingress + ": port " + port + " is exposed by " + gatewayService);
                }
                for (String required : mustCover) {
                    assertTrue(paths.stream().anyMatch(p -> covers(p, required)),
                            ingress + " (host " + rule.path("host").asText("*") + ") does not route " + required);
                }
            }
        }
    }

    @Test
    void onlyTheGatewayReachesTheServicesAndRedis() {
        Map<String, String> gatewayPods = podLabels(require("Deployment", Project.GATEWAY));
        List<String> protectedNames = new ArrayList<>();
        Project.services().stream().filter(s -> !s.isGateway()).forEach(s -> protectedNames.add(s.name()));
        protectedNames.add("redis");
        for (String name : protectedNames) {
            Map<String, String> pods = podLabels(require("Deployment", name));
            List<Manifest> policies = kind("NetworkPolicy").stream()
                    .filter(p -> policyTypes(p).contains("Ingress"))
                    .filter(p -> selects(p.doc().path("spec").path("podSelector"), pods)).toList();
            assertFalse(policies.isEmpty(), name + ": a NetworkPolicy isolates its ingress");
            int admitting = 0;
            for (Manifest policy : policies) {
                for (JsonNode rule : policy.doc().path("spec").path("ingress")) {
                    if (isMonitoringScrape(rule)) {
                        continue;
                    }
                    admitting++;
                    JsonNode from = rule.path("from");
                    assertTrue(from.isArray() && from.size() > 0, policy + " admits every source into " + name);
                    for (JsonNode peer : from) {
                        assertTrue(peer.has("podSelector") && !peer.has("namespaceSelector") && !peer.has("ipBlock"),
                                policy + " admits " + peer + " into " + name + ": only gateway pods may connect");
                        assertTrue(peer.path("podSelector").size() > 0 && selects(peer.path("podSelector"), gatewayPods),
                                policy + " admits " + peer + " into " + name + ", which is not the gateway");
                        assertFalse(selects(peer.path("podSelector"), pods), policy + ": " + peer + " also matches " + name);
                    }
                }
            }
            assertTrue(admitting > 0, name + ": the gateway is let in");
            int port = Project.serviceNamed(name).map(Project.Service::port).orElse(6379);
            assertTrue(allows(policies, "ingress", gatewayPods, port), name + ": the gateway may connect on port " + port);
        }
    }

    @Test
    void egressLetsEachWorkloadReachWhatItNeeds() {
        Map<String, String> gatewayPods = podLabels(require("Deployment", Project.GATEWAY));
        for (Project.Service target : Project.services()) {
            if (target.isGateway()) {
                continue;
            }
            assertTrue(allowsEgress(gatewayPods, podLabels(require("Deployment", target.name())), target.port()),
                    "gateway -> " + target.name() + ":" + target.port());
        }
        assertTrue(allowsEgress(gatewayPods, podLabels(require("Deployment", "redis")), 6379), "gateway -> redis:6379");
        List<Map<String, String>> dataPods = new ArrayList<>();
        Project.services().stream().filter(Project.Service::usesCommonData)
                .forEach(s -> dataPods.add(podLabels(require("Deployment", s.name()))));
        kind("Job").forEach(job -> dataPods.add(podLabels(job)));
        for (Map<String, String> pods : dataPods) {
            for (int port : List.of(5432, 587, 443)) {
                assertTrue(allowsEgress(pods, null, port), pods + " -> external port " + port);
            }
        }
        for (Manifest workload : workloads()) {
            assertTrue(allowsEgress(podLabels(workload), Map.of("k8s-app", "kube-dns"), 53), workload + " -> DNS");
        }
    }

    @Test
    void theGatewayScalesHorizontallyAndKeepsAReplicaThroughDisruptions() {
        Manifest gateway = require("Deployment", Project.GATEWAY);
        List<Manifest> hpas = kind("HorizontalPodAutoscaler").stream()
                .filter(h -> h.doc().path("spec").path("scaleTargetRef").path("kind").asText().equals("Deployment")
                        && h.doc().path("spec").path("scaleTargetRef").path("name").asText().equals(gateway.name()))
                .toList();
        assertEquals(1, hpas.size(), "one HorizontalPodAutoscaler targets Deployment/" + gateway.name());
        JsonNode spec = hpas.get(0).doc().path("spec");
        assertTrue(spec.path("minReplicas").asInt(1) >= 2, "the HPA keeps at least two gateways");
        assertTrue(spec.path("maxReplicas").asInt() > spec.path("minReplicas").asInt(), "the HPA can scale up");
        assertTrue(gateway.doc().path("spec").path("replicas").isMissingNode(),
                gateway + ": no replicas field, the HPA owns it (an apply would reset the count)");
        assertTrue(kind("PodDisruptionBudget").stream()
                .anyMatch(p -> selects(p.doc().path("spec").path("selector"), podLabels(gateway))),
                "a PodDisruptionBudget covers the gateway's pods");
    }

    // ---- configuration ----

    @Test
    void everyVariableRequiredInProductionReachesEveryWorkloadRunningThatService() {
        int checked = 0;
        for (Manifest workload : workloads()) {
            for (JsonNode container : podSpec(workload).path("containers")) {
                Optional<Project.Service> service = moduleOf(container);
                if (service.isEmpty()) {
                    continue;
                }
                checked++;
                Map<String, String> provided = providedEnvironment(workload, container);
                List<String> missing = new ArrayList<>();
                for (String name : service.get().requiredVariables()) {
                    String value = provided.get(name);
                    if (value == null || value.isBlank()) {
                        missing.add(name);
                    }
                }
                assertEquals(List.of(), missing, workload + " runs " + service.get().name()
                        + ", which requires these in production, but no ConfigMap, Secret reference or value provides them");
            }
        }
        assertTrue(checked >= Project.services().size() + 1, "the services and the migration Job were checked");
    }

    @Test
    void overlayConfigPatchesKeepEveryRequiredVariableSet() {
        List<Path> overlays = kustomizations().stream().filter(k -> !k.getParent().equals(base)).toList();
        for (Path kustomization : overlays) {
            Path dir = kustomization.getParent();
            Map<String, Map<String, String>> patched = new LinkedHashMap<>();
            for (String patch : patchPaths(dir)) {
                for (JsonNode doc : Yaml.readAll(dir.resolve(patch))) {
                    if (doc.path("kind").asText().equals("ConfigMap")) {
                        Map<String, String> data = patched.computeIfAbsent(doc.path("metadata").path("name").asText(),
                                n -> new LinkedHashMap<>());
                        doc.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
                    }
                    assertTrue(podSpecOf(doc).path("containers").findValues("env").isEmpty()
                                    && podSpecOf(doc).path("containers").findValues("envFrom").isEmpty(),
                            patch + ": environment belongs in the ConfigMaps, which this check follows");
                }
            }
            for (Manifest workload : workloads()) {
                for (JsonNode container : podSpec(workload).path("containers")) {
                    Optional<Project.Service> service = moduleOf(container);
                    if (service.isEmpty()) {
                        continue;
                    }
                    Map<String, String> env = providedEnvironment(workload, container, patched);
                    List<String> blank = service.get().requiredVariables().stream()
                            .filter(name -> env.get(name) == null || env.get(name).isBlank()).toList();
                    assertEquals(List.of(), blank, Project.ROOT.relativize(dir) + ": " + workload + " lacks required " + blank);
                }
            }
        }
    }

    @Test
    void theMigrationJobRunsQuarkusInitTasksAndExits() {
        List<Manifest> jobs = kind("Job");
        assertEquals(1, jobs.size(), "one migration Job");
        Manifest job = jobs.get(0);
        JsonNode container = podSpec(job).path("containers").get(0);
        Project.Service service = moduleOf(container).orElseThrow(() -> new AssertionError(job + " runs a service image"));
        assertTrue(service.usesCommonData(), job + " runs an image that carries the Flyway migrations (common-data)");
        Map<String, String> env = new LinkedHashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText(null)));
        assertEquals("true", env.get("QUARKUS_INIT_AND_EXIT"), job + ": run the start-up tasks, then exit");
        String migrate = env.getOrDefault("QUARKUS_FLYWAY_MIGRATE_AT_START",
                service.properties().get("quarkus.flyway.migrate-at-start"));
        assertEquals("true", migrate, job + ": Flyway migrates at start");
        assertEquals("Never", podSpec(job).path("restartPolicy").asText(), job + ": the Job's backoffLimit retries, not the kubelet");
    }

    @Test
    void everySecretReferenceIsAKeyOfTheDocumentedSecret() {
        Set<String> keys = exampleSecretKeys();
        int references = 0;
        for (Manifest workload : workloads()) {
            for (JsonNode container : podSpec(workload).path("containers")) {
                for (JsonNode env : container.path("env")) {
                    JsonNode ref = env.path("valueFrom").path("secretKeyRef");
                    if (!ref.isMissingNode()) {
                        references++;
                        assertEquals(SECRET, ref.path("name").asText(), workload + ": " + env.path("name").asText());
                        assertTrue(keys.contains(ref.path("key").asText()),
                                workload + " reads key " + ref.path("key").asText() + ", missing from secrets.example.yaml " + keys);
                    }
                }
                for (JsonNode from : container.path("envFrom")) {
                    String cm = Yaml.text(from, "configMapRef", "name");
                    if (cm != null) {
                        assertTrue(find("ConfigMap", cm).isPresent(), workload + " reads ConfigMap " + cm + ", which the base defines");
                    }
                    String secret = Yaml.text(from, "secretRef", "name");
                    if (secret != null) {
                        assertEquals(SECRET, secret, workload.toString());
                    }
                }
            }
        }
        assertTrue(references > 0, "the workloads read their secrets from " + SECRET);
    }

    @Test
    void urlsInConfigMapsPointAtAPortTheirServiceExposes() {
        int checked = 0;
        for (Manifest configMap : kind("ConfigMap")) {
            for (var it = configMap.doc().path("data").fields(); it.hasNext(); ) {
                var entry = it.next();
                String value = entry.getValue().asText();
                if (!value.matches("^[a-z][a-z0-9+.-]*://[^,]*$")) {
                    continue;
                }
                URI uri = URI.create(value);
                Optional<Manifest> service = find("Service", uri.getHost());
                if (service.isEmpty()) {
                    continue;
                }
                checked++;
                int port = uri.getPort() == -1 ? ("https".equals(uri.getScheme()) ? 443 : 80) : uri.getPort();
                boolean exposed = false;
                for (JsonNode p : service.get().doc().path("spec").path("ports")) {
                    exposed |= p.path("port").asInt() == port;
                }
                assertTrue(exposed, configMap + ": " + entry.getKey() + "=" + value + " but " + service.get() + " has no port " + port);
                Project.serviceNamed(uri.getHost()).ifPresent(s -> assertEquals(s.port(), port,
                        configMap + ": " + entry.getKey() + " should use " + s.name() + "'s own port"));
            }
        }
        assertTrue(checked >= 3, "the gateway's upstream URLs name in-cluster Services");
    }

    // ---- helpers ----

    static List<Manifest> kind(String kind) {
        return baseManifests.stream().filter(m -> m.kind().equals(kind)).toList();
    }

    static Optional<Manifest> find(String kind, String name) {
        return baseManifests.stream().filter(m -> m.kind().equals(kind) && m.name().equals(name)).findFirst();
    }

    static Manifest require(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("k8s/base defines no " + kind + "/" + name));
    }

    static List<Manifest> workloads() {
        return baseManifests.stream().filter(m -> Set.of("Deployment", "StatefulSet", "DaemonSet", "Job").contains(m.kind())).toList();
    }

    static JsonNode podSpec(Manifest workload) {
        return podSpecOf(workload.doc());
    }

    static JsonNode podSpecOf(JsonNode doc) {
        return doc.path("spec").path("template").path("spec");
    }

    static Map<String, String> podLabels(Manifest workload) {
        Map<String, String> labels = new LinkedHashMap<>();
        workload.doc().path("spec").path("template").path("metadata").path("labels")
                .fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    static Optional<JsonNode> container(Manifest workload, String name) {
        for (JsonNode c : podSpec(workload).path("containers")) {
            if (c.path("name").asText().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The image without tag or digest. */
    static String imageName(JsonNode container) {
        String image = container.path("image").asText();
        int at = image.indexOf('@');
        if (at >= 0) {
            image = image.substring(0, at);
        }
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    /** The service module a container runs, from its image name {@code backbone/<module>}. */
    static Optional<Project.Service> moduleOf(JsonNode container) {
        String image = imageName(container);
        return image.startsWith("backbone/") ? Project.serviceNamed(image.substring("backbone/".length())) : Optional.empty();
    }

    /** A selector ({@code matchLabels}/{@code matchExpressions}); an empty one selects every pod. */
    /** A rule that lets only the monitoring namespace in, only on the management port: Prometheus's scrape. */
    static boolean isMonitoringScrape(JsonNode rule) {
        JsonNode ports = rule.path("ports");
        JsonNode from = rule.path("from");
        if (!ports.isArray() || ports.isEmpty() || !from.isArray() || from.isEmpty()) {
            return false;
        }
        for (JsonNode port : ports) {
            if (port.path("port").asInt() != Project.managementPort()) {
                return false;
            }
        }
        for (JsonNode peer : from) {
            if (!"monitoring".equals(peer.path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name").asText())
                    || peer.has("podSelector") || peer.has("ipBlock")) {
                return false;
            }
        }
        return true;
    }

    @Test
    void onlyTheMonitoringNamespaceReachesTheManagementPort() {
        int management = Project.managementPort();
        for (Project.Service service : Project.services()) {
            Map<String, String> pods = podLabels(require("Deployment", service.name()));
            int rules = 0;
            for (Manifest policy : kind("NetworkPolicy")) {
                if (!policyTypes(policy).contains("Ingress") || !selects(policy.doc().path("spec").path("podSelector"), pods)) {
                    continue;
                }
                for (JsonNode rule : policy.doc().path("spec").path("ingress")) {
                    boolean coversManagement = !rule.path("ports").isArray() || rule.path("ports").isEmpty();
                    for (JsonNode port : rule.path("ports")) {
                        coversManagement |= port.path("port").asInt() == management
                                || port.path("port").asText().equals("management");
                    }
                    if (coversManagement) {
                        assertTrue(isMonitoringScrape(rule), policy + " lets " + rule + " reach " + service.name()
                                + "'s management port; only the monitoring namespace may");
                        rules++;
                    }
                }
            }
            assertTrue(rules > 0, service.name() + ": Prometheus in the monitoring namespace may scrape port " + management);
            for (Manifest svc : kind("Service")) {
                if (selects(svc.doc().path("spec").path("selector"), pods)) {
                    svc.doc().path("spec").path("ports").forEach(p -> assertFalse(p.path("port").asInt() == management
                            || p.path("targetPort").asText().equals("management")
                            || p.path("targetPort").asInt() == management,
                            svc + " exposes the management port; only probes and Prometheus use it"));
                }
            }
        }
    }

    static boolean selects(JsonNode selector, Map<String, String> labels) {
        if (selector.isMissingNode() || selector.isNull()) {
            return false;
        }
        for (var it = selector.path("matchLabels").fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asText();
            Set<String> values = new TreeSet<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (expression.path("operator").asText()) {
                case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> throw new AssertionError("unknown selector operator in " + expression);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A Service's plain map selector. */
    static boolean matchesLabels(JsonNode selector, Map<String, String> labels) {
        for (var it = selector.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static Optional<Integer> resolvePort(JsonNode containers, JsonNode ref) {
        for (JsonNode c : containers) {
            for (JsonNode p : c.path("ports")) {
                if (ref.isNumber() ? p.path("containerPort").asInt() == ref.asInt() : p.path("name").asText().equals(ref.asText())) {
                    return Optional.of(p.path("containerPort").asInt());
                }
            }
        }
        return Optional.empty();
    }

    static void assertProbe(Manifest deployment, JsonNode container, String probe, Set<String> paths, int port) {
        JsonNode get = container.path(probe).path("httpGet");
        assertFalse(get.isMissingNode(), deployment + ": " + probe + " over HTTP");
        assertTrue(paths.contains(get.path("path").asText()), deployment + ": " + probe + " path " + get.path("path") + " not in " + paths);
        Optional<Integer> resolved = resolvePort(podSpec(deployment).path("containers"), get.path("port"));
        assertEquals(Optional.of(port), resolved, deployment + ": " + probe + " port " + get.path("port"));
    }

    static boolean hasEmptyDirAt(JsonNode pod, JsonNode container, String mountPath) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(mountPath)) {
                for (JsonNode volume : pod.path("volumes")) {
                    if (volume.path("name").asText().equals(mount.path("name").asText()) && volume.has("emptyDir")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static Set<String> policyTypes(Manifest policy) {
        Set<String> types = new TreeSet<>();
        JsonNode declared = policy.doc().path("spec").path("policyTypes");
        if (declared.isArray() && declared.size() > 0) {
            declared.forEach(t -> types.add(t.asText()));
        } else {
            types.add("Ingress");
            if (policy.doc().path("spec").has("egress")) {
                types.add("Egress");
            }
        }
        return types;
    }

    /** Whether some rule of {@code policies} in {@code direction} lets {@code peerLabels} pods through on {@code port}. */
    static boolean allows(List<Manifest> policies, String direction, Map<String, String> peerLabels, int port) {
        String peersField = direction.equals("ingress") ? "from" : "to";
        for (Manifest policy : policies) {
            for (JsonNode rule : policy.doc().path("spec").path(direction)) {
                boolean peerOk = !rule.has(peersField) || rule.path(peersField).size() == 0;
                for (JsonNode peer : rule.path(peersField)) {
                    if (peerLabels == null) {
                        peerOk |= peer.has("ipBlock");
                    } else {
                        peerOk |= peer.has("podSelector") && selects(peer.path("podSelector"), peerLabels);
                    }
                }
                if (peerOk && portAllowed(rule, port)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Egress from pods with {@code labels} to pods with {@code target} labels (null: outside the cluster). */
    static boolean allowsEgress(Map<String, String> labels, Map<String, String> target, int port) {
        List<Manifest> policies = kind("NetworkPolicy").stream()
                .filter(p -> policyTypes(p).contains("Egress"))
                .filter(p -> selects(p.doc().path("spec").path("podSelector"), labels)).toList();
        if (policies.isEmpty()) {
            return true; // not isolated for egress
        }
        return allows(policies, "egress", target, port);
    }

    static boolean portAllowed(JsonNode rule, int port) {
        JsonNode ports = rule.path("ports");
        if (!ports.isArray() || ports.size() == 0) {
            return true;
        }
        for (JsonNode p : ports) {
            int from = p.path("port").asInt(-1);
            int to = p.path("endPort").asInt(from);
            if (!p.has("port") || (port >= from && port <= to)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an Ingress path sends {@code required} to its backend. */
    static boolean covers(JsonNode path, String required) {
        String p = path.path("path").asText("/");
        String type = path.path("pathType").asText("Prefix");
        if (type.equals("Exact")) {
            return p.equals(required);
        }
        String prefix = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        return prefix.isEmpty() || required.equals(prefix) || required.startsWith(prefix + "/");
    }

    /** Every environment variable a container gets: env values and references, envFrom ConfigMaps and the Secret. */
    static Map<String, String> providedEnvironment(Manifest workload, JsonNode container) {
        return providedEnvironment(workload, container, Map.of());
    }

    /** The same, with an overlay's ConfigMap patches ({@code name -> data}) merged over the base ConfigMaps. */
    static Map<String, String> providedEnvironment(Manifest workload, JsonNode container,
            Map<String, Map<String, String>> configPatches) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String prefix = from.path("prefix").asText("");
            String cm = Yaml.text(from, "configMapRef", "name");
            if (cm != null) {
                find("ConfigMap", cm).ifPresent(m -> m.doc().path("data").fields()
                        .forEachRemaining(e -> env.put(prefix + e.getKey(), e.getValue().asText())));
                configPatches.getOrDefault(cm, Map.of()).forEach((k, v) -> env.put(prefix + k, v));
            }
            String secret = Yaml.text(from, "secretRef", "name");
            if (secret != null && secret.equals(SECRET)) {
                exampleSecretKeys().forEach(k -> env.put(prefix + k, "(secret)"));
            }
        }
        for (JsonNode e : container.path("env")) {
            String name = e.path("name").asText();
            JsonNode secretRef = e.path("valueFrom").path("secretKeyRef");
            JsonNode configRef = e.path("valueFrom").path("configMapKeyRef");
            if (!secretRef.isMissingNode()) {
                if (!secretRef.path("optional").asBoolean(false)) {
                    env.put(name, "(secret " + secretRef.path("key").asText() + ")");
                } else {
                    env.remove(name); // may be absent: cannot satisfy a required variable
                }
            } else if (!configRef.isMissingNode()) {
                String value = find("ConfigMap", configRef.path("name").asText())
                        .map(m -> m.doc().path("data").path(configRef.path("key").asText()).asText(null)).orElse(null);
                if (value != null) {
                    env.put(name, value);
                }
            } else {
                env.put(name, e.path("value").asText(""));
            }
        }
        return env;
    }

    static List<JsonNode> exampleSecret() {
        Path file = base.resolve("secrets.example.yaml");
        assertTrue(Files.exists(file), "k8s/base/secrets.example.yaml");
        return Yaml.readAll(file).stream()
                .filter(d -> d.path("kind").asText().equals("Secret") && d.path("metadata").path("name").asText().equals(SECRET))
                .toList();
    }

    static Set<String> exampleSecretKeys() {
        Set<String> keys = new TreeSet<>();
        for (JsonNode secret : exampleSecret()) {
            secret.path("stringData").fieldNames().forEachRemaining(keys::add);
            secret.path("data").fieldNames().forEachRemaining(keys::add);
        }
        return keys;
    }

    /** {@code gateway.routes.<name>.prefix} values of the gateway's route table, when it has one. */
    static Set<String> gatewayRoutePrefixes() {
        Set<String> prefixes = new TreeSet<>();
        Project.service(Project.GATEWAY).properties().forEach((key, value) -> {
            if (key.matches("gateway\\.routes\\.[^.]+\\.prefix")) {
                prefixes.add(value.trim());
            }
        });
        return prefixes;
    }

    static List<Path> kustomizations() {
        try (Stream<Path> files = Files.walk(k8s)) {
            return files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> listed(Path dir, String field) {
        List<String> entries = new ArrayList<>();
        Yaml.read(dir.resolve("kustomization.yaml")).path(field).forEach(n -> entries.add(n.isTextual() ? n.asText() : n.toString()));
        return entries;
    }

    static List<String> patchPaths(Path dir) {
        JsonNode k = Yaml.read(dir.resolve("kustomization.yaml"));
        List<String> paths = new ArrayList<>();
        for (String field : List.of("patches", "patchesStrategicMerge")) {
            k.path(field).forEach(p -> {
                if (p.isTextual()) {
                    paths.add(p.asText());
                } else if (p.has("path")) {
                    paths.add(p.path("path").asText());
                }
            });
        }
        return paths;
    }

    static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
