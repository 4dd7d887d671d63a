package app.backbone.gateway.cors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.support.InjectBackends;
import app.backbone.gateway.support.TestBackends;
import app.backbone.testing.HeadlessBrowser;
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
        HeadlessBrowser browser = HeadlessBrowser.require(SCRIPT_DIR);

        String allowedId = "browser-allowed-" + UUID.randomUUID();
        String forbiddenId = "browser-forbidden-" + UUID.randomUUID();
        String gatewayUrl = gateway.toString().replaceAll("/$", "");
        var config = ConfigProvider.getConfig();
        HeadlessBrowser.Run run = browser.script("cors-check.mjs", List.of(gatewayUrl,
                config.getValue("test.pages.allowed", String.class), config.getValue("test.pages.forbidden", String.class),
                allowedId, forbiddenId), 120);
        assertEquals(0, run.exitCode(), run.output());

        JsonObject result = new JsonObject(run.lastJsonLine());
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
}
