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
    private static final Pattern LOCAL_URL = Pattern.compile("https?://(?:localhost|127\\.0\\.0\\.1):(\\d+)(/[^\\s\"'|]*)");

    static JsonNode compose;
    static Path composeFile;

    @BeforeAll
    static void load() {
        composeFile = Project.ROOT.resolve("docker-compose.yml");
        assertTrue(Files.exists(composeFile), "docker-compose.yml at the repository root");
        compose = Yaml.read(composeFile);
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
            assertEquals(Set.of(service.port()), containerPorts,
                    service.name() + ": container port(s) in expose/ports should be the configured port " + service.port());
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
    void healthcheckAsksForReadinessOnTheConfiguredPort() {
        for (Project.Service service : Project.services()) {
            String command = healthcheckCommand(composeService(service.name()));
            assertNotNull(command, service.name() + " has a healthcheck");
            Matcher m = LOCAL_URL.matcher(command);
            assertTrue(m.find(), service.name() + ": healthcheck calls a local URL: " + command);
            assertEquals(service.port(), Integer.parseInt(m.group(1)), service.name() + ": healthcheck port in " + command);
            assertEquals("/q/health/ready", m.group(2), service.name() + ": healthcheck path in " + command);
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
                assertEquals("service_healthy", dep.getValue().path("condition").asText(),
                        entry.getKey() + " -> " + dep.getKey());
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
                if (value == null || interpolate(value).isBlank()) {
                    missing.add(name);
                }
            }
            assertEquals(List.of(), missing, service.name() + " requires these in production (%prod ${NAME} without "
                    + "default) but docker-compose.yml gives no non-empty value");
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
            URI uri = URI.create(interpolate(url));
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
        Matcher m = INTERPOLATION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String op = m.group(2);
            String replacement = op != null && op.endsWith("-") ? m.group(3) : "";
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
