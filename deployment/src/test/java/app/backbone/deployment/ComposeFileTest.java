package app.backbone.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** docker-compose.yml against the services' own configuration: names, ports, health checks, variables. */
class ComposeFileTest {

    /**
     * Referenced by the configuration but deliberately not in .env.example: PORT only exists so a platform can move
     * the HTTP port (each service's default port is the contract the deployment files are checked against).
     */
    static final Set<String> NOT_DOCUMENTED = Set.of("PORT");

    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?}");

    private static final Pattern TCP_CHECK = Pattern.compile("/dev/tcp/(?:127\\.0\\.0\\.1|localhost)/(\\d+)\\b.*GET (/\\S*) HTTP");
    private static final Pattern NON_EMPTY_DEFAULT = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):(?!})");

    static JsonNode compose;
    static Path composeFile;
    /** The development values (.env.development), the only place where compose's secrets have values. */
    static Map<String, String> development;

    @BeforeAll
    static void load() {
        composeFile = Project.ROOT.resolve("docker-compose.yml");
        assertTrue(Files.exists(composeFile), "docker-compose.yml at the repository root");
        compose = Yaml.read(composeFile);
        development = EnvExample.values(Project.ROOT.resolve(".env.development"));
    }

    static JsonNode composeService(String name) {
        JsonNode node = compose.path("services").path(name);
        assertFalse(node.isMissingNode(), "docker-compose.yml has no service " + name);
        return node;
    }

    @Test
    void everyServiceIsBuiltFromItsModuleDockerfile() {
        for (Project.Service service : Project.services()) {
            JsonNode build = composeService(service.name()).path("build");
            String context = build.isTextual() ? build.asText() : Yaml.text(build, "context");
            assertNotNull(context, service.name() + ": build context");
            Path contextDir = Project.ROOT.resolve(context).normalize();
            assertTrue(Files.isDirectory(contextDir), service.name() + ": build context " + context + " is a directory");
            String dockerfile = build.isTextual() ? "Dockerfile" : build.path("dockerfile").asText("Dockerfile");
            Path file = contextDir.resolve(dockerfile).normalize();
            assertTrue(Files.isRegularFile(file), service.name() + ": Dockerfile " + file + " exists");
            assertEquals(service.dir().resolve("Dockerfile").normalize(), file,
                    service.name() + " is built from its own module's Dockerfile");
        }
    }

    @Test
    void containerPortIsTheServicesConfiguredPort() {
        for (Project.Service service : Project.services()) {
            JsonNode node = composeService(service.name());
            int port = effectivePort(service, node);
            Set<Integer> containerPorts = new TreeSet<>();
            node.path("expose").forEach(p -> containerPorts.add(Integer.parseInt(p.asText().split("/")[0])));
            node.path("ports").forEach(p -> containerPorts.add(containerSide(p)));
            assertEquals(Set.of(service.port(), Project.managementPort()), containerPorts,
                    service.name() + ": container ports in expose/ports should be the configured port " + service.port()
                            + " and the management port " + Project.managementPort());
            assertEquals(service.port(), port, service.name() + ": a PORT variable would move it away from its healthcheck");
        }
    }

    @Test
    void onlyTheGatewayAndMailpitsWebUiArePublished() {
        Map<String, Set<Integer>> published = new LinkedHashMap<>();
        compose.path("services").fields().forEachRemaining(e -> e.getValue().path("ports")
                .forEach(p -> published.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(containerSide(p))));
        Project.Service gateway = Project.service(Project.GATEWAY);
        assertEquals(Map.of(gateway.name(), Set.of(gateway.port()), "mailpit", Set.of(8025)), published);
    }

    @Test
    void publishedPortsBindToLoopbackUnlessAsked() {
        compose.path("services").fields().forEachRemaining(e -> e.getValue().path("ports").forEach(p -> {
            assertTrue(p.isTextual() && interpolate(p.asText()).startsWith("127.0.0.1:"),
                    e.getKey() + ": published port " + p + " should bind to 127.0.0.1 by default");
        }));
    }

    @Test
    void everyImageIsPinned() {
        compose.path("services").fields().forEachRemaining(e -> {
            String image = interpolate(e.getValue().path("image").asText(""));
            assertFalse(image.isEmpty(), e.getKey() + ": an image name");
            if (e.getValue().has("build")) {
                assertTrue(e.getValue().path("image").asText().contains("${BACKBONE_TAG"),
                        e.getKey() + ": built images are tagged by BACKBONE_TAG (a commit in CI, local by default)");
                return;
            }
            assertTrue(image.contains("@sha256:") || image.matches(".+:[^/:]+") && !image.endsWith(":latest"),
                    e.getKey() + ": image " + image + " should be pinned by tag or digest");
        });
    }

    @Test
    void healthcheckAsksForReadinessOnTheManagementPortWithoutCurl() {
        for (Project.Service service : Project.services()) {
            String command = healthcheckCommand(composeService(service.name()));
            assertNotNull(command, service.name() + " has a healthcheck");
            assertFalse(command.matches("(?s).*\\b(curl|wget)\\b.*"), service.name() + ": the runtime image need not have curl: " + command);
            Matcher m = TCP_CHECK.matcher(command);
            assertTrue(m.find(), service.name() + ": healthcheck asks a local port over /dev/tcp: " + command);
            assertEquals(Project.managementPort(), Integer.parseInt(m.group(1)), service.name() + ": healthcheck port in " + command);
            assertEquals("/q/health/ready", m.group(2), service.name() + ": healthcheck path in " + command);
        }
    }

    /** Podman's Docker API joins a CMD list and splits it again at spaces: an argument with a space breaks the check. */
    @Test
    void healthcheckArgumentsSurvivePodmansDockerApi() {
        for (Path file : List.of(composeFile, Project.ROOT.resolve("deployment/compose-smoke/docker-compose.smoke.yml"))) {
            Yaml.read(file).path("services").fields().forEachRemaining(e -> {
                JsonNode test = e.getValue().path("healthcheck").path("test");
                if (test.isArray() && test.size() > 0 && test.get(0).asText().equals("CMD")) {
                    for (int i = 1; i < test.size(); i++) {
                        assertFalse(test.get(i).asText().contains(" "),
                                file.getFileName() + " " + e.getKey() + ": use CMD-SHELL for " + test);
                    }
                }
            });
        }
    }

    /**
     * An empty value is not an unset one: {@code NAME: ${NAME:-}} passes "" and hides the service's own default for NAME
     * (payment-service refused to start when CLERK_JWT_KEY was "" and hid CLERK_JWKS_URL). Such variables are passed
     * only when set ({@code NAME:} with no value) or always with a value.
     */
    @Test
    void anEmptyValueNeverHidesAServicesDefault() {
        List<String> hiding = new ArrayList<>();
        for (Project.Service service : Project.services()) {
            Set<String> withDefault = new TreeSet<>();
            service.properties().values().forEach(v -> NON_EMPTY_DEFAULT.matcher(v).results()
                    .forEach(r -> withDefault.add(r.group(1))));
            JsonNode environment = composeService(service.name()).path("environment");
            environment.fields().forEachRemaining(e -> {
                boolean passedOnlyWhenSet = e.getValue().isNull();
                boolean required = e.getValue().asText().contains(":?");
                if (!passedOnlyWhenSet && !required && interpolate(e.getValue().asText()).isEmpty()
                        && withDefault.contains(e.getKey())) {
                    hiding.add(service.name() + ": " + e.getKey() + "=" + e.getValue().asText());
                }
            });
        }
        assertEquals(List.of(), hiding, "values that are empty by default and hide the service's own default");
    }

    /** A production `compose up` without the secrets refuses to start: no secret has a default in docker-compose.yml. */
    @Test
    void secretsHaveNoDefaultAndLiveOnlyInTheDevelopmentFile() {
        Set<String> secrets = new TreeSet<>(Set.of("POSTGRES_PASSWORD"));
        Yaml.read(Project.ROOT.resolve("k8s/base/secrets.example.yaml")).path("stringData").fieldNames()
                .forEachRemaining(secrets::add);
        assertTrue(secrets.contains("STRIPE_WEBHOOK_SECRET"), "secrets.example.yaml lists the secrets: " + secrets);
        String text = Project.read(composeFile);
        Matcher m = INTERPOLATION.matcher(text);
        while (m.find()) {
            if (secrets.contains(m.group(1))) {
                assertEquals(":?", m.group(2), "docker-compose.yml: " + m.group() + " must be ${" + m.group(1) + ":?...}");
            }
        }
        compose.path("services").fields().forEachRemaining(e -> environment(e.getValue()).forEach((name, value) -> {
            if (secrets.contains(name) && !value.isEmpty()) {
                assertTrue(value.contains("${" + name + ":?") || value.matches(".*\\$\\{[A-Z_]+:\\?.*"),
                        e.getKey() + ": " + name + " must come from the environment, not a literal");
            }
        }));
        for (String required : List.of("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "PAYSTACK_SECRET_KEY", "DATABASE_URL")) {
            assertFalse(development.getOrDefault(required, "").isBlank(), ".env.development sets " + required);
        }
    }

    @Test
    void everyDependencyWaitsForAHealthyServiceThatHasAHealthcheck() {
        int dependencies = 0;
        for (var it = compose.path("services").fields(); it.hasNext(); ) {
            var entry = it.next();
            JsonNode dependsOn = entry.getValue().path("depends_on");
            assertTrue(dependsOn.isMissingNode() || dependsOn.isObject(),
                    entry.getKey() + ": depends_on should be the long form with a condition");
            for (var deps = dependsOn.fields(); deps.hasNext(); ) {
                var dep = deps.next();
                dependencies++;
                String condition = dep.getValue().path("condition").asText();
                if (condition.equals("service_completed_successfully")) {
                    JsonNode oneShot = composeService(dep.getKey());
                    assertEquals("no", oneShot.path("restart").asText(), dep.getKey() + " runs once");
                    continue;
                }
                assertEquals("service_healthy", condition, entry.getKey() + " -> " + dep.getKey());
                assertNotNull(healthcheckCommand(composeService(dep.getKey())),
                        entry.getKey() + " waits for " + dep.getKey() + ", which needs a healthcheck");
            }
        }
        assertTrue(dependencies > 0, "the services wait for what they need");
    }

    @Test
    void everyServiceWaitsForTheHostsItsVariablesPointAt() {
        for (Project.Service service : Project.services()) {
            JsonNode node = composeService(service.name());
            Set<String> needed = new TreeSet<>();
            environment(node).forEach((name, value) -> {
                String host = composeHost(interpolate(value));
                if (host != null && !host.equals(service.name())) {
                    needed.add(host);
                }
            });
            Set<String> waitsFor = new TreeSet<>();
            node.path("depends_on").fieldNames().forEachRemaining(waitsFor::add);
            needed.removeIf(host -> healthcheckCommand(composeService(host)) == null); // e.g. stripe-mock: no probe
            assertTrue(waitsFor.containsAll(needed), service.name() + " should wait for " + needed + ", waits for " + waitsFor);
            if (service.isGateway()) {
                Set<String> others = new TreeSet<>();
                Project.services().stream().filter(s -> !s.isGateway()).forEach(s -> others.add(s.name()));
                assertTrue(waitsFor.containsAll(others), "the gateway waits for every service: " + waitsFor);
            }
        }
    }

    @Test
    void urlsBetweenContainersUseTheTargetsConfiguredPort() {
        int checked = 0;
        for (var it = compose.path("services").fields(); it.hasNext(); ) {
            var entry = it.next();
            for (var env : environment(entry.getValue()).entrySet()) {
                String value = interpolate(env.getValue());
                String host = composeHost(value);
                if (host == null || !isUrl(value)) {
                    continue;
                }
                var target = Project.serviceNamed(host);
                if (target.isPresent()) {
                    checked++;
                    assertEquals(target.get().port(), URI.create(value).getPort(),
                            entry.getKey() + ": " + env.getKey() + "=" + value);
                }
            }
        }
        assertTrue(checked >= 3, "the gateway's upstream URLs name the services");
    }

    @Test
    void everyVariableRequiredInProductionIsProvided() {
        for (Project.Service service : Project.services()) {
            Map<String, String> env = environment(composeService(service.name()));
            List<String> missing = new ArrayList<>();
            for (String name : service.requiredVariables()) {
                String value = env.get(name);
                if (value == null || interpolate(value, development).isBlank()) {
                    missing.add(name);
                }
            }
            assertEquals(List.of(), missing, service.name() + " requires these in production (%prod ${NAME} without "
                    + "default) but docker-compose.yml gives no non-empty value with .env.development");
        }
    }

    @Test
    void databaseUrlHasThePostgresqlUrlForm() {
        for (Project.Service service : Project.services()) {
            String url = environment(composeService(service.name())).get("DATABASE_URL");
            if (url == null) {
                assertFalse(service.usesCommonData(), service.name() + " stores data and needs DATABASE_URL");
                continue;
            }
            URI uri = URI.create(interpolate(url, development));
            assertEquals("postgresql", uri.getScheme(), url);
            assertNotNull(uri.getUserInfo(), "user:password in " + url);
            assertEquals(5432, uri.getPort(), url);
            assertTrue(uri.getPath().length() > 1, "database name in " + url);
            assertTrue(compose.path("services").has(uri.getHost()), "DATABASE_URL host is a compose service: " + url);
        }
    }

    @Test
    void everyVariableTheServicesReadIsDocumentedInEnvExample() {
        Set<String> documented = EnvExample.documented();
        Map<String, Set<String>> undocumented = new LinkedHashMap<>();
        for (Project.Service service : Project.services()) {
            Set<String> names = new TreeSet<>(service.referencedVariables());
            names.removeAll(NOT_DOCUMENTED);
            names.removeAll(documented);
            if (!names.isEmpty()) {
                undocumented.put(service.name(), names);
            }
        }
        assertEquals(Map.of(), undocumented, "variables read by the services but missing from .env.example");
    }

    @Test
    void everyVariableComposeInterpolatesIsDocumentedWithAComment() {
        Set<String> used = new TreeSet<>();
        Matcher m = INTERPOLATION.matcher(Project.read(composeFile));
        while (m.find()) {
            used.add(m.group(1));
        }
        assertFalse(used.isEmpty());
        Set<String> settable = EnvExample.settable();
        used.removeAll(settable);
        assertEquals(Set.of(), used, "docker-compose.yml reads these from .env but .env.example does not list them");
        assertEquals(List.of(), EnvExample.withoutComment(), ".env.example lines without a comment line above them");
    }

    // ---- helpers ----

    /** Environment of a compose service, map or list form, values not yet interpolated. */
    static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        } else if (node.isArray()) {
            node.forEach(item -> {
                String s = item.asText();
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            });
        }
        return env;
    }

    /** Compose's interpolation with no .env: {@code ${A:-default}} and {@code ${A-default}} give the default. */
    static String interpolate(String value) {
        return interpolate(value, Map.of());
    }

    /** Compose's interpolation with these variables set ({@code ${A:?error}} without A gives "" here). */
    static String interpolate(String value, Map<String, String> variables) {
        Matcher m = INTERPOLATION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String op = m.group(2);
            String set = variables.get(m.group(1));
            boolean usable = set != null && !(set.isEmpty() && op != null && op.startsWith(":"));
            String replacement = usable ? set : op != null && op.endsWith("-") ? m.group(3) : "";
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString().replace("$$", "$");
    }

    /** The compose service a value points at (a URL's host, or a bare host name like SMTP_HOST), else null. */
    static String composeHost(String value) {
        if (compose.path("services").has(value.trim())) {
            return value.trim();
        }
        if (!isUrl(value)) {
            return null;
        }
        try {
            String host = URI.create(value.split(",")[0].trim()).getHost();
            return host != null && compose.path("services").has(host) ? host : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean isUrl(String value) {
        return value.matches("^[a-z][a-z0-9+.-]*://.*");
    }

    static String healthcheckCommand(JsonNode service) {
        JsonNode test = service.path("healthcheck").path("test");
        if (test.isMissingNode() || service.path("healthcheck").path("disable").asBoolean(false)) {
            return null;
        }
        if (test.isTextual()) {
            return test.asText();
        }
        List<String> parts = new ArrayList<>();
        test.forEach(p -> parts.add(p.asText()));
        if (parts.isEmpty() || parts.get(0).equals("NONE")) {
            return null;
        }
        return String.join(" ", parts.subList(1, parts.size()));
    }

    private static int containerSide(JsonNode port) {
        if (port.isObject()) {
            return port.path("target").asInt();
        }
        String[] parts = port.asText().split("/")[0].split(":");
        return Integer.parseInt(parts[parts.length - 1]);
    }

    private static int effectivePort(Project.Service service, JsonNode node) {
        Map<String, String> env = environment(node);
        for (String key : List.of("QUARKUS_HTTP_PORT", "PORT")) {
            if (env.containsKey(key)) {
                return Integer.parseInt(interpolate(env.get(key)).trim());
            }
        }
        return service.port();
    }

    /** Guard so a typo in a helper cannot make a check vacuous. */
    @Test
    void helpersSeeWhatTheFileHolds() {
        assertEquals("b", interpolate("${A:-b}"));
        assertEquals("", interpolate("${A}"));
        assertEquals("x$y", interpolate("x$$y"));
        if (environment(composeService(Project.GATEWAY)).isEmpty()) {
            fail("the gateway has no environment in docker-compose.yml");
        }
    }
}
