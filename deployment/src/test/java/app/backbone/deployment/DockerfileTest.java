package app.backbone.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Each service module's Dockerfile packs that module's fast-jar, runs it unprivileged and exposes its port. */
class DockerfileTest {

    /** The one file besides a module's fast-jar that every service image copies: the AOT cache's training step. */
    static final String AOT_TRAINING = "deployment/docker/aot-train.sh";

    /** A Dockerfile as instructions (keyword upper-cased, arguments), comments dropped, continuations joined. */
    record Instruction(String keyword, String arguments) {
    }

    static List<Instruction> instructions(Path dockerfile) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Project.read(dockerfile).lines().toList()) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String text = current.toString().strip();
            current.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            int space = text.indexOf(' ');
            out.add(new Instruction(text.substring(0, space < 0 ? text.length() : space).toUpperCase(),
                    space < 0 ? "" : text.substring(space + 1).strip()));
        }
        return out;
    }

    static List<String> arguments(List<Instruction> instructions, String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    @Test
    void everyServiceExposesItsConfiguredPort() {
        for (Project.Service service : Project.services()) {
            List<Instruction> dockerfile = instructions(dockerfile(service));
            List<String> exposed = new ArrayList<>();
            arguments(dockerfile, "EXPOSE").forEach(a -> exposed.addAll(List.of(a.split("\\s+"))));
            assertEquals(List.of(String.valueOf(service.port()), String.valueOf(Project.managementPort())),
                    exposed.stream().map(p -> p.split("/")[0]).toList(), service.name() + ": EXPOSE (service, management)");
        }
    }

    @Test
    void everyImageRunsAsANonRootUser() {
        for (Project.Service service : Project.services()) {
            List<String> users = arguments(instructions(dockerfile(service)), "USER");
            assertFalse(users.isEmpty(), service.name() + ": a USER instruction");
            String user = users.get(users.size() - 1).split(":")[0];
            assertFalse(Set.of("root", "0").contains(user), service.name() + " runs as " + user);
            assertTrue(user.matches("\\d+"), service.name() + ": a numeric USER lets Kubernetes check runAsNonRoot, not " + user);
        }
    }

    @Test
    void everyImagePacksItsOwnModulesFastJar() {
        for (Project.Service service : Project.services()) {
            List<Instruction> dockerfile = instructions(dockerfile(service));
            List<String> sources = new ArrayList<>();
            for (String copy : arguments(dockerfile, "COPY")) {
                List<String> parts = new ArrayList<>(List.of(copy.split("\\s+")));
                parts.removeIf(p -> p.startsWith("--"));
                sources.addAll(parts.subList(0, parts.size() - 1));
            }
            assertFalse(sources.isEmpty(), service.name() + ": COPY instructions");
            for (String source : sources) {
                assertTrue(source.startsWith(service.name() + "/target/quarkus-app/") || source.equals(AOT_TRAINING),
                        service.name() + " copies " + source + ", not from its own target/quarkus-app/");
            }
            assertTrue(sources.stream().anyMatch(s -> s.endsWith("*.jar") || s.endsWith("quarkus-run.jar")),
                    service.name() + ": the quarkus-run.jar launcher");
            for (String folder : List.of("lib/", "app/", "quarkus/")) {
                assertTrue(sources.contains(service.name() + "/target/quarkus-app/" + folder), service.name() + ": " + folder);
            }
            assertNotNull(arguments(dockerfile, "ENTRYPOINT").stream().findFirst().orElse(null), service.name() + ": ENTRYPOINT");
            String from = baseImage(dockerfile);
            assertTrue(from.contains("17"), service.name() + ": a Java 17 runtime, not " + from);
        }
    }

    @Test
    void theBuildContextKeepsOnlyTheFastJars() {
        List<String> lines = Project.read(Project.ROOT.resolve(".dockerignore")).lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals("*", lines.get(0), ".dockerignore starts by excluding everything");
        List<String> exceptions = lines.stream().filter(l -> l.startsWith("!")).toList();
        for (Project.Service service : Project.services()) {
            assertTrue(exceptions.contains("!" + service.name() + "/target/quarkus-app/"),
                    ".dockerignore lets " + service.name() + "/target/quarkus-app/ through: " + lines);
        }
        assertTrue(exceptions.contains("!" + AOT_TRAINING), ".dockerignore lets the AOT training step through: " + lines);
        assertEquals(lines.size() - 1, exceptions.size(), "after '*' only exceptions: " + lines);
    }

    /**
     * Every image trains the AOT cache at build time and its entrypoint uses it when present, so a JDK 25+ base gets
     * faster starts with no other change; the step runs as the runtime user, who owns /deployments.
     */
    @Test
    void everyImageTrainsAndUsesTheAotCache() {
        for (Project.Service service : Project.services()) {
            List<Instruction> dockerfile = instructions(dockerfile(service));
            assertTrue(arguments(dockerfile, "COPY").contains(AOT_TRAINING + " /usr/local/bin/aot-train.sh"),
                    service.name() + ": copies the training step");
            int user = indexOf(dockerfile, "USER");
            int train = dockerfile.indexOf(new Instruction("RUN", "sh /usr/local/bin/aot-train.sh"));
            assertTrue(user >= 0 && train > user, service.name() + ": trains after USER, as the runtime user");
            assertTrue(dockerfile.get(train - 1).keyword().equals("COPY") && indexOf(dockerfile, "ENV") < train,
                    service.name() + ": trains with the runtime's JAVA_OPTS, after the application is in place");
            String entrypoint = arguments(dockerfile, "ENTRYPOINT").get(0);
            assertTrue(entrypoint.contains("-XX:AOTCache=/deployments/app.aot"), service.name() + ": " + entrypoint);
        }
        String training = Project.read(Project.ROOT.resolve(AOT_TRAINING));
        assertTrue(training.contains("-XX:AOTCacheOutput=/deployments/app.aot"), "the step writes the cache the entrypoint reads");
        assertTrue(training.contains("quarkus.init-and-exit=true"), "the training run is the start-up only: no database at build time");
    }

    private static int indexOf(List<Instruction> dockerfile, String keyword) {
        for (int i = 0; i < dockerfile.size(); i++) {
            if (dockerfile.get(i).keyword().equals(keyword)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The classic builder (docker-compose 1.29 without BuildKit, podman's Docker API) ignores "!" exceptions that hold
     * a wildcard: with one, the build context comes out empty. Each exception must name its path literally.
     */
    @Test
    void ignoreExceptionsAreLiteralPathsTheClassicBuilderHonours() {
        List<String> wildcardExceptions = Project.read(Project.ROOT.resolve(".dockerignore")).lines().map(String::strip)
                .filter(l -> l.startsWith("!") && (l.contains("*") || l.contains("?") || l.contains("[")))
                .toList();
        assertEquals(List.of(), wildcardExceptions, ".dockerignore exceptions with wildcards");
    }

    /** The base image is a build argument (a mirror, an internal registry), and its default is pinned upstream. */
    @Test
    void theBaseImageIsAPinnedDefaultThatABuildArgumentCanReplace() {
        for (Project.Service service : Project.services()) {
            List<Instruction> dockerfile = instructions(dockerfile(service));
            String from = arguments(dockerfile, "FROM").get(0);
            assertTrue(from.matches("\\$\\{?[A-Z_]+}?"), service.name() + ": FROM names a build argument, not " + from);
            String image = baseImage(dockerfile);
            assertTrue(image.contains("@sha256:") || image.matches(".+:[^/:]+") && !image.endsWith(":latest"),
                    service.name() + ": the default base image is pinned by tag or digest: " + image);
            List<String> healthTools = List.of("curl", "wget");
            arguments(dockerfile, "ENTRYPOINT").forEach(e -> assertTrue(e.contains("java"), service.name() + ": " + e));
            assertTrue(healthTools.stream().noneMatch(t -> arguments(dockerfile, "RUN").stream().anyMatch(r -> r.contains(t))),
                    service.name() + ": no tool installed only for health checks");
        }
    }

    /** The image FROM resolves to: the ARG's default when FROM names an ARG. */
    static String baseImage(List<Instruction> dockerfile) {
        String from = arguments(dockerfile, "FROM").get(0);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{?([A-Z_]+)}?").matcher(from);
        if (!m.matches()) {
            return from;
        }
        return arguments(dockerfile, "ARG").stream().filter(a -> a.startsWith(m.group(1) + "="))
                .map(a -> a.substring(m.group(1).length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("FROM " + from + " names an ARG without a default"));
    }

    static Path dockerfile(Project.Service service) {
        Path file = service.dir().resolve("Dockerfile");
        assertTrue(Files.isRegularFile(file), service.name() + "/Dockerfile exists");
        return file;
    }
}
