package app.backbone.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.support.InjectBackends;
import app.backbone.gateway.support.TestBackends;
import app.backbone.gateway.support.TestKeys;
import app.backbone.gateway.support.Tokens;
import app.backbone.testing.ClerkTokens;
import app.backbone.testing.Jwks;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With {@code CLERK_JWT_KEY} set, that PEM key alone verifies tokens, whatever their kid, and the JWKS is not used. */
@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
@TestProfile(PemKeyJwtTest.WithPemKey.class)
class PemKeyJwtTest {

    public static class WithPemKey implements QuarkusTestProfile {

        private static final KeyPair PAIR = Jwks.newKeyPair();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.jwt.public-key", TestKeys.pem((RSAPublicKey) PAIR.getPublic()).replace("\n", "\\n"),
                    "test.keys.pem", TestKeys.encode(PAIR.getPrivate()));
        }
    }

    @InjectBackends
    TestBackends backends;

    @Test
    void tokenSignedWithThePemKeyPasses() {
        String requestId = "pem-ok-" + UUID.randomUUID();
        String token = ClerkTokens.sign(Tokens.clerkClaims("user_pem"), "any-kid", pemPrivateKey());
        given().header("X-Request-Id", requestId).header("Authorization", "Bearer " + token).get("/stripe/prices")
                .then().statusCode(200).body("service", equalTo("payment"));
        assertEquals(1, backends.payment().countWithRequestId(requestId));
    }

    @Test
    void tokenSignedWithAJwksKeyIsRefusedWhenAPemKeyIsConfigured() {
        String requestId = "pem-bad-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId).header("Authorization", "Bearer " + Tokens.valid("user_jwks"))
                .get("/stripe/prices")
                .then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED"));
        assertEquals(0, backends.payment().countWithRequestId(requestId));
    }

    private static java.security.PrivateKey pemPrivateKey() {
        return TestKeys.decode(ConfigProvider.getConfig().getValue("test.keys.pem", String.class));
    }
}
