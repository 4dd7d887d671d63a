package app.backbone.local.processes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One of the four services, run from its built jar as a child process with its log in the data folder. */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final int managementPort;
    private final Process process;
    private final Path log;
    private final boolean trainingAotCache;

    private ServiceProcess(String name, int port, int managementPort, Process process, Path log,
            boolean trainingAotCache) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.log = log;
        this.trainingAotCache = trainingAotCache;
    }

    /**
     * Starts {@code module}'s built jar. With {@code aotCacheDir} set and a JDK that has the AOT cache, the start uses
     * the cache trained on this build, or trains one (see {@link AotCache}).
     */
    public static ServiceProcess start(Path projectDir, String module, int port, int managementPort,
            Map<String, String> env, Path logDir, Path aotCacheDir)
            throws IOException {
        Path jar = projectDir.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first with ./mvnw -B install -DskipTests");
        }
        Files.createDirectories(logDir);
        Path log = logDir.resolve(module + ".log");
        // A laptop-sized heap: up to 128 MB, but the old generation starts at 32 MB and grows only when what stays
        // alive needs it (a service keeps 15 to 25 MB), so memory a burst touched once is not held as resident.
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xms64m", "-Xmn32m", "-Xmx128m",
                "-XX:+UseSerialGC"));
        boolean training = false;
        if (aotCacheDir != null && AotCache.supported(Runtime.version().feature())) {
            AotCache cache = AotCache.of(aotCacheDir, module, jar.getParent());
            training = !cache.usable();
            command.addAll(cache.jvmOptions());
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        configure(builder.environment(), env, port, managementPort);
        return new ServiceProcess(module, port, managementPort, builder.start(), log, training);
    }

    /**
     * The service's environment: the stack's own plus {@code env}, on {@code port}, with health and metrics on
     * {@code managementPort}. {@code QUARKUS_HTTP_PORT} names the local stack's mail page; left in, it would override
     * every service's {@code PORT}.
     */
    static void configure(Map<String, String> environment, Map<String, String> env, int port, int managementPort) {
        environment.putAll(env);
        environment.remove("QUARKUS_HTTP_PORT");
        environment.put("PORT", String.valueOf(port));
        environment.put("MANAGEMENT_PORT", String.valueOf(managementPort));
    }

    /** Waits until {@code /q/health/ready} on the management port answers UP; fails if the process dies first. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " stopped while starting; see " + log);
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** True when this run trains the service's AOT cache: stopping it then writes the cache, which takes longer. */
    public boolean trainingAotCache() {
        return trainingAotCache;
    }

    /** Asks the service to stop (SIGTERM) without waiting, so several services stop, and write their caches, at once. */
    public void requestStop() {
        process.destroy();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(trainingAotCache ? 120 : 10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
