package app.backbone.gateway.support;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import app.backbone.testing.Jwks;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * Starts what the gateway talks to in tests: one recording HTTP server per service, a Clerk JWKS on WireMock, a port
 * nothing listens on, and two web pages on two origins (one allowed by CORS, one not) for the browser test. The
 * gateway is pointed at them through configuration.
 */
public class GatewayBackendsResource implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://clerk.test.example";
    public static final String AUTHORIZED_PARTY = "https://app.example.com";

    /** Init argument: the provider policy's per-minute limit for a test class that checks it (else generous). */
    public static final String PROVIDER_PER_MINUTE = "provider-per-minute";

    private Vertx vertx;
    private String providerPerMinute = "100000";
    private TestBackends backends;
    private HttpServer allowedPage;
    private HttpServer forbiddenPage;

    @Override
    public void init(Map<String, String> initArgs) {
        providerPerMinute = initArgs.getOrDefault(PROVIDER_PER_MINUTE, providerPerMinute);
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        RecordingUpstream contact = new RecordingUpstream("contact", vertx);
        RecordingUpstream payment = new RecordingUpstream("payment", vertx);
        RecordingUpstream webhook = new RecordingUpstream("webhook", vertx);

        KeyPair primary = Jwks.newKeyPair();
        KeyPair rotated = Jwks.newKeyPair();
        KeyPair foreign = Jwks.newKeyPair();
        WireMockServer jwks = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        jwks.start();
        jwks.stubFor(get(Jwks.PATH).willReturn(okJson(Jwks.document(TestKeys.PRIMARY_KID, (RSAPublicKey) primary.getPublic()))));
        backends = new TestBackends(contact, payment, webhook, jwks);

        allowedPage = page();
        forbiddenPage = page();
        String allowedOrigin = "http://127.0.0.1:" + allowedPage.actualPort();

        Map<String, String> config = new HashMap<>();
        config.put("gateway.routes.contact.upstream", contact.url());
        config.put("gateway.routes.payment-initiate.upstream", payment.url());
        config.put("gateway.routes.payment.upstream", payment.url());
        config.put("gateway.routes.stripe.upstream", payment.url());
        config.put("gateway.routes.payment-verify.upstream", payment.url());
        config.put("gateway.routes.stripe-customer.upstream", payment.url());
        for (String route : new String[] { "stripe-checkout", "stripe-portal", "stripe-subscriptions", "stripe-invoices",
                "stripe-payment-methods" }) {
            config.put("gateway.routes." + route + ".upstream", payment.url());
        }
        config.put("gateway.routes.payment-webhook.upstream", webhook.url());
        config.put("gateway.routes.webhooks.upstream", webhook.url());
        // Test-only routes: a service that is down, and a route with a tiny per-user quota.
        config.put("gateway.routes.down.prefix", "/test-down");
        config.put("gateway.routes.down.upstream", "http://127.0.0.1:" + closedPort());
        config.put("gateway.routes.user-limited.prefix", "/test-user-limited");
        config.put("gateway.routes.user-limited.upstream", payment.url());
        config.put("gateway.routes.user-limited.auth", "required");
        config.put("gateway.routes.user-limited.rate-limit", "test-user");
        config.put("gateway.rate-limit.policies.test-user.key-by", "user");
        config.put("gateway.rate-limit.policies.test-user.limits[0].requests", "2");
        config.put("gateway.rate-limit.policies.test-user.limits[0].per", "1m");
        // Generous quotas everywhere but the contact route, whose real defaults are under test.
        for (String policy : new String[] { "default", "payment", "user", "webhook" }) {
            config.put("gateway.rate-limit.policies." + policy + ".limits[0].requests", "100000");
        }
        config.put("gateway.rate-limit.policies.provider.limits[0].requests", providerPerMinute);
        config.put("gateway.upstream.connect-timeout", "1s");
        config.put("gateway.upstream.response-timeout", "1s");
        config.put("gateway.jwt.issuer", ISSUER);
        config.put("gateway.jwt.jwks-url", jwks.baseUrl() + Jwks.PATH);
        config.put("gateway.jwt.authorized-parties", AUTHORIZED_PARTY + ",http://localhost:3000");
        config.put("gateway.jwt.jwks-refetch-min-interval", "2s");
        config.put("gateway.cors.origins", AUTHORIZED_PARTY + "," + allowedOrigin);
        config.put("gateway.trusted-proxies", "127.0.0.1,::1");
        config.put("test.keys.primary", TestKeys.encode(primary.getPrivate()));
        config.put("test.keys.rotated", TestKeys.encode(rotated.getPrivate()));
        config.put("test.keys.foreign", TestKeys.encode(foreign.getPrivate()));
        config.put("test.pages.allowed", allowedOrigin + "/");
        config.put("test.pages.forbidden", "http://127.0.0.1:" + forbiddenPage.actualPort() + "/");
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(backends,
                new TestInjector.AnnotatedAndMatchesType(InjectBackends.class, TestBackends.class));
    }

    @Override
    public void stop() {
        if (backends != null) {
            backends.contact().close();
            backends.payment().close();
            backends.webhook().close();
            backends.jwks().stop();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private HttpServer page() {
        return vertx.createHttpServer()
                .requestHandler(request -> request.response()
                        .putHeader("Content-Type", "text/html")
                        .end("<!doctype html><html><head><title>client</title></head><body>client page</body></html>"))
                .listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().join();
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
