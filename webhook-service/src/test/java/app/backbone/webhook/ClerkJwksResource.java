package app.backbone.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;

/** A stand-in for Clerk's JWKS endpoint (WireMock on a free port), with the test key pair that signs test tokens. */
public class ClerkJwksResource implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://clerk.test.backbone";
    public static final String APP_ORIGIN = "https://app.backbone.test";
    public static final String KEY_ID = "test-key-1";
    public static final String JWKS_PATH = "/.well-known/jwks.json";

    private static final KeyPair KEYS = rsa();
    private static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        RSAPublicKey publicKey = (RSAPublicKey) KEYS.getPublic();
        String jwks = Deliveries.json(Map.of("keys", java.util.List.of(Map.of(
                "kty", "RSA", "use", "sig", "alg", "RS256", "kid", KEY_ID,
                "n", base64Url(publicKey.getModulus()),
                "e", base64Url(publicKey.getPublicExponent())))));
        server.stubFor(get(urlEqualTo(JWKS_PATH)).willReturn(okJson(jwks)));
        return Map.of(
                "mp.jwt.verify.publickey.location", server.baseUrl() + JWKS_PATH,
                "clerk.issuer", ISSUER,
                "clerk.authorized-parties", APP_ORIGIN + ",https://other.backbone.test");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    public static WireMockServer server() {
        return server;
    }

    /** A Clerk-shaped session token for {@code userId}, valid for five minutes. */
    public static String token(String userId) {
        return token(userId, ISSUER, APP_ORIGIN, Instant.now().plusSeconds(300), KEYS.getPrivate());
    }

    public static String token(String userId, String issuer, String azp, Instant expiresAt, PrivateKey key) {
        var claims = Jwt.issuer(issuer).subject(userId).issuedAt(expiresAt.minusSeconds(600)).expiresAt(expiresAt)
                .claim("sid", "sess_test");
        if (azp != null) {
            claims.claim("azp", azp);
        }
        return claims.jws().keyId(KEY_ID).sign(key);
    }

    public static PrivateKey ownKey() {
        return KEYS.getPrivate();
    }

    public static PrivateKey foreignKey() {
        return rsa().getPrivate();
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
