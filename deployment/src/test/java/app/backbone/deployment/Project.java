package app.backbone.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository as the deployment files must see it: which modules are services (read from the parent pom and each
 * module's application.properties), their ports, and the environment variables their configuration reads.
 */
final class Project {

    /** The module that is the only public entry (DESIGN.md section 2). */
    static final String GATEWAY = "gateway";

    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");
    private static final Pattern HTTP_PORT = Pattern.compile("\\$\\{PORT:(\\d+)}|^(\\d+)$");

    static final Path ROOT = findRoot();

    private static final Pattern MANAGEMENT_PORT = Pattern.compile("\\$\\{MANAGEMENT_PORT:(\\d+)}|^(\\d+)$");

    /**
     * The management interface's port (health, metrics, OpenAPI) every service shares, from common's configuration:
     * {@code quarkus.management.port=${MANAGEMENT_PORT:NNNN}}.
     */
    static int managementPort() {
        Path file = ROOT.resolve("common/src/main/resources/META-INF/microprofile-config.properties");
        Map<String, String> properties = ConfigReferences.merged(List.of(file));
        assertTrue("true".equals(properties.get("quarkus.management.enabled")),
                "common enables the management interface (quarkus.management.enabled=true)");
        String port = properties.get("quarkus.management.port");
        Matcher m = MANAGEMENT_PORT.matcher(port == null ? "" : port.trim());
        assertTrue(m.matches(), "quarkus.management.port should be ${MANAGEMENT_PORT:NNNN} or a number, is " + port);
        return Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
    }

    /**
     * A runnable service: a module of the parent pom that builds on {@code common} and has {@code quarkus.http.port} in
     * its application.properties (the local-stack launcher, which serves only developers, is not one).
     */
    record Service(String name, Path dir, int port, boolean usesCommonData) {

        boolean isGateway() {
            return GATEWAY.equals(name);
        }

        /** The configuration files that apply to this service, lowest priority first. */
        List<Path> propertyFiles() {
            List<Path> files = new ArrayList<>();
            if (usesCommonData) {
                files.add(ROOT.resolve("common-data/src/main/resources/META-INF/microprofile-config.properties"));
            }
            Path own = dir.resolve("src/main/resources/META-INF/microprofile-config.properties");
            if (Files.exists(own)) {
                files.add(own);
            }
            files.add(applicationProperties());
            return files.stream().filter(Files::exists).toList();
        }

        Path applicationProperties() {
            return dir.resolve("src/main/resources/application.properties");
        }

        Map<String, String> properties() {
            return ConfigReferences.merged(propertyFiles());
        }

        /** Variables this service cannot start without in production. */
        Set<String> requiredVariables() {
            return ConfigReferences.requiredInProduction(properties());
        }

        /** Every variable this service's configuration or code reads. */
        Set<String> referencedVariables() {
            Set<String> names = new TreeSet<>(ConfigReferences.referenced(properties()));
            names.addAll(ConfigReferences.referencedInJava(dir.resolve("src/main/java")));
            names.addAll(ConfigReferences.referencedInJava(ROOT.resolve("common/src/main/java")));
            if (usesCommonData) {
                names.addAll(ConfigReferences.referencedInJava(ROOT.resolve("common-data/src/main/java")));
            }
            return names;
        }
    }

    private Project() {
    }

    private static List<Service> services;

    static synchronized List<Service> services() {
        if (services == null) {
            services = List.copyOf(findServices());
        }
        return services;
    }

    private static List<Service> findServices() {
        List<Service> services = new ArrayList<>();
        Matcher m = MODULE.matcher(read(ROOT.resolve("pom.xml")));
        while (m.find()) {
            Path dir = ROOT.resolve(m.group(1));
            Path properties = dir.resolve("src/main/resources/application.properties");
            if (!Files.exists(properties)
                    || !read(dir.resolve("pom.xml")).contains("<artifactId>common</artifactId>")) {
                continue;
            }
            String port = ConfigReferences.merged(List.of(properties)).get("quarkus.http.port");
            if (port == null) {
                continue;
            }
            Matcher p = HTTP_PORT.matcher(port.trim());
            assertTrue(p.matches(), dir.getFileName() + ": quarkus.http.port should be ${PORT:NNNN} or a number, is " + port);
            int number = Integer.parseInt(p.group(1) != null ? p.group(1) : p.group(2));
            boolean commonData = read(dir.resolve("pom.xml")).contains("<artifactId>common-data</artifactId>");
            services.add(new Service(m.group(1), dir, number, commonData));
        }
        assertTrue(services.size() >= 4, "expected at least the four services in the parent pom, found " + services);
        return services;
    }

    static Service service(String name) {
        return services().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no service module named " + name));
    }

    static Optional<Service> serviceNamed(String name) {
        return services().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path pom = dir.resolve("pom.xml");
            if (Files.exists(pom) && MODULE.matcher(read(pom)).results().anyMatch(r -> r.group(1).equals("deployment"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no parent pom listing the deployment module above "
                + Path.of("").toAbsolutePath());
    }
}
