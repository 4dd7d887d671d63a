package app.backbone.gateway.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import javax.crypto.spec.SecretKeySpec;

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
import io.smallrye.jwt.build.Jwt;

/** Every way a Clerk token can be wrong gets 401 in the envelope and never reaches the service. */
@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
class ClerkJwtTest {

    private static final String PROTECTED = "/stripe/products";

    @InjectBackends
    TestBackends backends;

    @Test
    void validTokenReachesTheServiceWithTheAuthorizationHeaderUnchanged() {
        String token = Tokens.valid("user_valid");
        String requestId = accepted("Bearer " + token);
        assertEquals("Bearer " + token, backends.payment().withRequestId(requestId).orElseThrow().header("Authorization"));
    }

    @Test
    void missingTokenIsUnauthorized() {
        rejected(null);
    }

    @Test
    void nonBearerAuthorizationIsUnauthorized() {
        rejected("Basic Zm9vOmJhcg==");
    }

    @Test
    void malformedTokenIsUnauthorized() {
        rejected("Bearer a.b.c");
    }

    @Test
    void expiredTokenIsUnauthorized() {
        long now = Instant.now().getEpochSecond();
        rejected("Bearer " + ClerkTokens.sign(Tokens.clerkClaims("user_x").issuedAt(now - 600).claim("nbf", now - 600)
                .expiresAt(now - 60), TestKeys.PRIMARY_KID, Tokens.key("primary")));
    }

    @Test
    void tokenExpiredWithinTheClockSkewIsAccepted() {
        long now = Instant.now().getEpochSecond();
        accepted("Bearer " + ClerkTokens.sign(Tokens.clerkClaims("user_skew").issuedAt(now - 600).claim("nbf", now - 600)
                .expiresAt(now - 2), TestKeys.PRIMARY_KID, Tokens.key("primary")));
    }

    @Test
    void tokenNotYetValidIsUnauthorized() {
        long now = Instant.now().getEpochSecond();
        rejected("Bearer " + ClerkTokens.sign(Tokens.clerkClaims("user_x").claim("nbf", now + 60).expiresAt(now + 600),
                TestKeys.PRIMARY_KID, Tokens.key("primary")));
    }

    @Test
    void tokenSignedByAForeignKeyUnderAKnownKidIsUnauthorized() {
        rejected("Bearer " + ClerkTokens.sign(Tokens.clerkClaims("user_x"), TestKeys.PRIMARY_KID, Tokens.key("foreign")));
    }

    @Test
    void unknownKidIsUnauthorizedAndRefetchesTheJwksAtMostOncePerInterval() throws InterruptedException {
        Thread.sleep(2100); // let the refetch interval from any earlier test pass
        int before = jwksFetches();
        String token = ClerkTokens.sign(Tokens.clerkClaims("user_x"), "kid-nobody-has", Tokens.key("foreign"));
        rejected("Bearer " + token);
        rejected("Bearer " + token);
        rejected("Bearer " + token);
        assertEquals(1, jwksFetches() - before, "three unknown-kid tokens within the interval cause one refetch");
    }

    @Test
    void keyRotatedIntoTheJwksIsPickedUpOnItsFirstToken() throws InterruptedException {
        RSAPublicKey primary = TestKeys.publicOf(Tokens.key("primary"));
        RSAPublicKey rotated = TestKeys.publicOf(Tokens.key("rotated"));
        String token = ClerkTokens.sign(Tokens.clerkClaims("user_rotated"), TestKeys.ROTATED_KID, Tokens.key("rotated"));
        try {
            backends.jwks().stubFor(get(Jwks.PATH).willReturn(okJson(
                    Jwks.document(Map.of(TestKeys.PRIMARY_KID, primary, TestKeys.ROTATED_KID, rotated)))));
            Thread.sleep(2100);
            accepted("Bearer " + token);
        } finally {
            backends.jwks().stubFor(get(Jwks.PATH).willReturn(okJson(
                    Jwks.document(TestKeys.PRIMARY_KID, primary))));
        }
    }

    @Test
    void rememberedTokenIsRefusedOnceExpired() throws InterruptedException {
        long now = Instant.now().getEpochSecond();
        String token = ClerkTokens.sign(Tokens.clerkClaims("user_short").expiresAt(now + 1), TestKeys.PRIMARY_KID,
                Tokens.key("primary"));
        accepted("Bearer " + token);
        accepted("Bearer " + token); // now answered from the verified-token cache
        // Past exp and the 5 s clock skew the remembered verdict must not be used any more.
        Thread.sleep((now + 1 + 5 + 1 - Instant.now().getEpochSecond()) * 1000);
        rejected("Bearer " + token);
    }

    @Test
    void rememberedTokenIsRefusedOnceItsKeyLeavesTheJwks() throws InterruptedException {
        RSAPublicKey primary = TestKeys.publicOf(Tokens.key("primary"));
        RSAPublicKey rotated = TestKeys.publicOf(Tokens.key("rotated"));
        String token = ClerkTokens.sign(Tokens.clerkClaims("user_removed_key"), TestKeys.ROTATED_KID, Tokens.key("rotated"));
        try {
            backends.jwks().stubFor(get(Jwks.PATH).willReturn(okJson(
                    Jwks.document(Map.of(TestKeys.PRIMARY_KID, primary, TestKeys.ROTATED_KID, rotated)))));
            Thread.sleep(2100);
            accepted("Bearer " + token);
            accepted("Bearer " + token); // now answered from the verified-token cache
        } finally {
            backends.jwks().stubFor(get(Jwks.PATH).willReturn(okJson(
                    Jwks.document(TestKeys.PRIMARY_KID, primary))));
        }
        // Clerk drops the rotated key; a token with a key id nobody has makes the gateway refetch the JWKS.
        Thread.sleep(2100);
        rejected("Bearer " + ClerkTokens.sign(Tokens.clerkClaims("user_x"), "kid-nobody-has", Tokens.key("foreign")));
        rejected("Bearer " + token);
    }

    @Test
    void wrongIssuerIsUnauthorized() {
        rejected("Bearer " + ClerkTokens.sign(Tokens.clerkClaims("user_x").issuer("https://evil.example"),
                TestKeys.PRIMARY_KID, Tokens.key("primary")));
    }

    @Test
    void wrongAuthorizedPartyIsUnauthorized() {
        rejected("Bearer " + ClerkTokens.sign(Tokens.clerkClaims("user_x").claim("azp", "https://evil.example"),
                TestKeys.PRIMARY_KID, Tokens.key("primary")));
    }

    @Test
    void tokenWithoutAzpIsUnauthorizedWhenAuthorizedPartiesAreSet() {
        rejected("Bearer " + ClerkTokens.sign(Tokens.clerkClaims("user_server").remove("azp"), TestKeys.PRIMARY_KID,
                Tokens.key("primary")));
    }

    @Test
    void tokenWithoutSessionIdIsUnauthorized() {
        // Neither a session token (sid) nor a JWT-template token for a configured audience.
        rejected("Bearer " + ClerkTokens.sign(Tokens.clerkClaims("user_nosid").remove("sid"), TestKeys.PRIMARY_KID,
                Tokens.key("primary")));
    }

    @Test
    void templateTokenForAnotherAudienceIsUnauthorized() {
        rejected("Bearer " + ClerkTokens.sign(Tokens.clerkClaims("user_tpl").audience("another-api"), TestKeys.PRIMARY_KID,
                Tokens.key("primary")));
    }

    @Test
    void algNoneIsUnauthorized() {
        long now = Instant.now().getEpochSecond();
        String header = Tokens.base64Url("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + TestKeys.PRIMARY_KID + "\"}");
        String payload = Tokens.base64Url("{\"iss\":\"" + GatewayBackendsResource.ISSUER + "\",\"sub\":\"user_x\",\"exp\":"
                + (now + 300) + "}");
        rejected("Bearer " + header + "." + payload + ".");
    }

    @Test
    void hs256TokenIsUnauthorized() {
        // Signed with the RSA public key's bytes as the HMAC secret: the classic algorithm-confusion attack.
        byte[] secret = TestKeys.publicOf(Tokens.key("primary")).getEncoded();
        String token = Tokens.clerkClaims("user_x").jws().keyId(TestKeys.PRIMARY_KID)
                .algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.HS256)
                .sign(new SecretKeySpec(secret, "HmacSHA256"));
        rejected("Bearer " + token);
    }

    @Test
    void optionalRouteLetsAnonymousRequestsThrough() {
        String requestId = "optional-anon-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId).contentType("application/json").body("{\"amount\":10}")
                .post("/api/payment/initiate")
                .then().statusCode(200).body("service", equalTo("payment"));
        assertEquals(1, backends.payment().countWithRequestId(requestId));
    }

    @Test
    void optionalRouteAcceptsAValidToken() {
        String requestId = "optional-valid-" + UUID.randomUUID();
        String token = Tokens.valid("user_optional");
        given().header("X-Request-Id", requestId).header("Authorization", "Bearer " + token)
                .contentType("application/json").body("{\"amount\":10}")
                .post("/api/payment/initiate")
                .then().statusCode(200);
        assertEquals("Bearer " + token, backends.payment().withRequestId(requestId).orElseThrow().header("Authorization"));
    }

    @Test
    void optionalRouteRejectsAnInvalidToken() {
        String requestId = "optional-bad-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId).header("Authorization", "Bearer a.b.c")
                .contentType("application/json").body("{\"amount\":10}")
                .post("/api/payment/initiate")
                .then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED"));
        assertEquals(0, backends.payment().countWithRequestId(requestId));
    }

    private String accepted(String authorization) {
        String requestId = "jwt-ok-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId).header("Authorization", authorization)
                .get(PROTECTED)
                .then().statusCode(200).body("service", equalTo("payment"));
        assertEquals(1, backends.payment().countWithRequestId(requestId));
        return requestId;
    }

    private void rejected(String authorization) {
        String requestId = "jwt-bad-" + UUID.randomUUID();
        var request = given().redirects().follow(false).header("X-Request-Id", requestId);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request.get(PROTECTED)
                .then().statusCode(401)
                .contentType("application/json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("success", equalTo(false))
                .body("error.code", equalTo("UNAUTHORIZED"))
                .body("error.requestId", equalTo(requestId));
        assertEquals(0, backends.payment().countWithRequestId(requestId), "a rejected request must not reach the service");
    }

    private int jwksFetches() {
        int count = backends.jwks().countRequestsMatching(getRequestedFor(urlEqualTo(Jwks.PATH))
                .build()).getCount();
        assertTrue(count >= 1);
        return count;
    }
}
