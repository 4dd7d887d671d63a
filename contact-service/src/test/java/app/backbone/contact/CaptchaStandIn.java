package app.backbone.contact;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A CAPTCHA provider's siteverify endpoint (WireMock), and the contact form configured to use it. */
public class CaptchaStandIn implements QuarkusTestResourceLifecycleManager {

    static final String SECRET = "captcha-test-secret";

    private static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        return Map.of("contact.captcha.provider", "turnstile",
                "contact.captcha.secret", SECRET,
                "contact.captcha.verify-url", server.baseUrl() + "/turnstile/v0/siteverify",
                "contact.captcha.timeout", "4s");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    static WireMockServer server() {
        return server;
    }
}
