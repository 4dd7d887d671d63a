package app.backbone.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import app.backbone.testing.Jwks;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * WireMock stand-ins for what lies outside: Stripe's API, Paystack's API and Clerk's JWKS (with a key pair made here,
 * whose private half signs the tests' tokens). Each listens on a free port.
 */
public class ProviderStandIns implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://clerk.shop.test";
    public static final String KEY_ID = "test-key-1";

    private static WireMockServer stripe;
    private static WireMockServer paystack;
    private static WireMockServer clerk;
    private static KeyPair keys;

    @Override
    public synchronized Map<String, String> start() {
        keys = Jwks.newKeyPair();
        // Delayed answers wait on a timer, not on one of Jetty's 25 threads, so a burst of slow calls is all in flight.
        stripe = new WireMockServer(options().dynamicPort().asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(4));
        paystack = new WireMockServer(options().dynamicPort());
        clerk = new WireMockServer(options().dynamicPort());
        stripe.start();
        paystack.start();
        clerk.start();
        clerk.stubFor(get(urlEqualTo(Jwks.PATH)).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody(Jwks.document(KEY_ID, (RSAPublicKey) keys.getPublic()))));
        return Map.of(
                "payment.stripe.api-base", stripe.baseUrl(),
                "payment.stripe.secret-key", "sk_test_standin",
                "payment.paystack.api-base", paystack.baseUrl(),
                "payment.paystack.secret-key", "sk_test_paystack_standin",
                "mp.jwt.verify.publickey.location", clerk.baseUrl() + Jwks.PATH,
                "payment.clerk.issuer", ISSUER,
                "payment.clerk.authorized-parties", "https://shop.test,https://app.shop.test");
    }

    @Override
    public synchronized void stop() {
        for (WireMockServer server : new WireMockServer[] {stripe, paystack, clerk}) {
            if (server != null) {
                server.stop();
            }
        }
    }

    public static WireMockServer stripe() {
        return stripe;
    }

    public static WireMockServer paystack() {
        return paystack;
    }

    public static WireMockServer clerk() {
        return clerk;
    }

    public static KeyPair keys() {
        return keys;
    }
}
