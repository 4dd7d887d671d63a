package app.backbone.gateway.cors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.support.InjectBackends;
import app.backbone.gateway.support.TestBackends;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * A real headless Chromium (Debian's, driven by playwright-core from {@code src/test/browser}) loads a page from an
 * allowed origin and one from another origin; each calls the API through the gateway with {@code fetch}. Skipped,
 * with the reason, where node or chromium is not installed.
 */
@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
class BrowserCorsTest {

    private static final Path SCRIPT_DIR = Path.of("src", "test", "browser");

    @InjectBackends
    TestBackends backends;

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void pageFromAnAllowedOriginCanCallTheApiAndOneFromAnotherOriginCannot() throws Exception {
        Optional<Path> node = onPath("node");
        Assumptions.assumeTrue(node.isPresent(), "Skipped: node is not installed, so the headless-browser CORS test cannot run");
        Path chromium = Path.of(Optional.ofNullable(System.getenv("CHROMIUM_PATH")).orElse("/usr/bin/chromium"));
        Assumptions.assumeTrue(Files.isExecutable(chromium),
                "Skipped: no Chromium at " + chromium + " (apt-get install -y chromium, or set CHROMIUM_PATH)");
        installPlaywrightCore();

        String allowedId = "browser-allowed-" + UUID.randomUUID();
        String forbiddenId = "browser-forbidden-" + UUID.randomUUID();
        String gatewayUrl = gateway.toString().replaceAll("/$", "");
        var config = ConfigProvider.getConfig();
        Run run = run(List.of(node.get().toString(), "cors-check.mjs", gatewayUrl,
                config.getValue("test.pages.allowed", String.class), config.getValue("test.pages.forbidden", String.class),
                allowedId, forbiddenId), 120);
        assertEquals(0, run.exitCode(), run.output());

        String lastLine = run.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("no result from the browser script:\n" + run.output()));
        JsonObject result = new JsonObject(lastLine);
        JsonObject allowed = result.getJsonObject("allowed");
        JsonObject forbidden = result.getJsonObject("forbidden");

        assertTrue(allowed.getBoolean("ok"), allowed.encode());
        assertEquals(200, allowed.getInteger("status"));
        assertEquals(allowedId, allowed.getString("requestId"), "the page can read the exposed X-Request-Id");
        assertEquals("payment", new JsonObject(allowed.getString("body")).getString("service"));
        assertEquals(1, backends.payment().countWithRequestId(allowedId));

        assertFalse(forbidden.getBoolean("ok"), "the browser must block the other origin: " + forbidden.encode());
        assertTrue(forbidden.getString("error").contains("Failed to fetch"), forbidden.encode());
        assertEquals(0, backends.payment().countWithRequestId(forbiddenId), "the forbidden call never reached the service");
    }

    private static void installPlaywrightCore() throws IOException, InterruptedException {
        if (Files.isDirectory(SCRIPT_DIR.resolve("node_modules").resolve("playwright-core"))) {
            return;
        }
        Optional<Path> npm = onPath("npm");
        Assumptions.assumeTrue(npm.isPresent(), "Skipped: npm is not installed, so playwright-core cannot be installed");
        Run install = run(List.of(npm.get().toString(), "ci", "--no-audit", "--no-fund"), 300);
        Assumptions.assumeTrue(install.exitCode() == 0, () -> "Skipped: npm ci could not install playwright-core:\n" + install.output());
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("browser-test", ".log");
        Process process = new ProcessBuilder(new ArrayList<>(command))
                .directory(SCRIPT_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Run(finished ? process.exitValue() : -1, output);
    }

    private static Optional<Path> onPath(String executable) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, executable);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
