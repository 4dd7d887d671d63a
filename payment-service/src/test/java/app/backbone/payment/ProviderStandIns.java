package app.backbone.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

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
        keys = newKeyPair();
        // Delayed answers wait on a timer, not on one of Jetty's 25 threads, so a burst of slow calls is all in flight.
        stripe = new WireMockServer(options().dynamicPort().asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(4));
        paystack = new WireMockServer(options().dynamicPort());
        clerk = new WireMockServer(options().dynamicPort());
        stripe.start();
        paystack.start();
        clerk.start();
        clerk.stubFor(get(urlEqualTo("/.well-known/jwks.json")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(jwks())));
        return Map.of(
                "payment.stripe.api-base", stripe.baseUrl(),
                "payment.stripe.secret-key", "sk_test_standin",
                "payment.paystack.api-base", paystack.baseUrl(),
                "payment.paystack.secret-key", "sk_test_paystack_standin",
                "mp.jwt.verify.publickey.location", clerk.baseUrl() + "/.well-known/jwks.json",
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

    private static String jwks() {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return """
                {"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"%s","n":"%s","e":"%s"}]}"""
                .formatted(KEY_ID, b64.encodeToString(unsigned(key.getModulus().toByteArray())),
                        b64.encodeToString(unsigned(key.getPublicExponent().toByteArray())));
    }

    private static byte[] unsigned(byte[] bytes) {
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            return trimmed;
        }
        return bytes;
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
