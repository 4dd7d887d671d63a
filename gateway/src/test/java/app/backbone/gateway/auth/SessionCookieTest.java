package app.backbone.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.support.InjectBackends;
import app.backbone.gateway.support.TestBackends;
import app.backbone.gateway.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** Clerk's {@code __session} cookie stands for the Authorization header on same-site requests only. */
@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
class SessionCookieTest {

    private static final String PROTECTED = "/stripe/products";
    private static final String ALLOWED_ORIGIN = GatewayBackendsResource.AUTHORIZED_PARTY;

    @InjectBackends
    TestBackends backends;

    @Test
    void cookieOnASameSiteGetIsCheckedAndHandedOnAsTheHeader() {
        String token = Tokens.valid("user_cookie");
        String requestId = newId();
        given().header("X-Request-Id", requestId).cookie("__session", token).header("Sec-Fetch-Site", "same-site")
                .get(PROTECTED)
                .then().statusCode(200).body("service", equalTo("payment"));
        assertEquals("Bearer " + token,
                backends.payment().withRequestId(requestId).orElseThrow().header("Authorization"));
    }

    @Test
    void cookieFromAnAllowedOriginIsAccepted() {
        accepted(given().cookie("__session", Tokens.valid("user_origin")).header("Origin", ALLOWED_ORIGIN));
    }

    @Test
    void cookieOnACrossSiteRequestIsRefused() {
        rejected(given().cookie("__session", Tokens.valid("user_cross")).header("Sec-Fetch-Site", "cross-site"));
    }

    @Test
    void cookieOnAStateChangingRequestWithoutProofOfOriginIsRefused() {
        String requestId = newId();
        given().header("X-Request-Id", requestId).cookie("__session", Tokens.valid("user_post"))
                .contentType("application/json").body("{}")
                .post("/stripe/customer")
                .then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED"));
        assertEquals(0, backends.payment().countWithRequestId(requestId));
    }

    @Test
    void forgedCookieIsRefusedLikeAForgedHeader() {
        rejected(given().cookie("__session", "a.b.c").header("Sec-Fetch-Site", "same-origin"));
    }

    @Test
    void headerWinsOverTheCookie() {
        String requestId = newId();
        given().header("X-Request-Id", requestId).header("Authorization", "Bearer a.b.c")
                .cookie("__session", Tokens.valid("user_both")).header("Sec-Fetch-Site", "same-origin")
                .get(PROTECTED)
                .then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED"));
        assertEquals(0, backends.payment().countWithRequestId(requestId));
    }

    private void accepted(RequestSpecification request) {
        String requestId = newId();
        request.header("X-Request-Id", requestId).get(PROTECTED)
                .then().statusCode(200).body("service", equalTo("payment"));
        assertEquals(1, backends.payment().countWithRequestId(requestId));
    }

    private void rejected(RequestSpecification request) {
        String requestId = newId();
        request.header("X-Request-Id", requestId).get(PROTECTED)
                .then().statusCode(401)
                .body("success", equalTo(false))
                .body("error.code", equalTo("UNAUTHORIZED"));
        assertEquals(0, backends.payment().countWithRequestId(requestId));
    }

    private static String newId() {
        return "cookie-" + UUID.randomUUID();
    }
}
