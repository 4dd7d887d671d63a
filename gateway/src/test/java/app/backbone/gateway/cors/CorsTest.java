package app.backbone.gateway.cors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.support.InjectBackends;
import app.backbone.gateway.support.TestBackends;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
class CorsTest {

    private static final String ALLOWED = GatewayBackendsResource.AUTHORIZED_PARTY;
    private static final String PATH = "/api/payment/verify/REF-CORS";

    @InjectBackends
    TestBackends backends;

    @Test
    void allowedOriginGetsItsOriginBack() {
        String requestId = "cors-ok-" + UUID.randomUUID();
        given().header("Origin", ALLOWED).header("X-Request-Id", requestId).get(PATH)
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", ALLOWED)
                .header("Access-Control-Expose-Headers", containsString("X-Request-Id"))
                .header("Vary", containsString("Origin"))
                .body("service", equalTo("payment"));
        assertEquals(1, backends.payment().countWithRequestId(requestId));
    }

    @Test
    void otherOriginIsForbiddenAndNeverReachesTheService() {
        String requestId = "cors-bad-" + UUID.randomUUID();
        given().header("Origin", "https://evil.example").header("X-Request-Id", requestId).get(PATH)
                .then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue())
                .body("success", equalTo(false))
                .body("error.code", equalTo("FORBIDDEN"))
                .body("error.requestId", equalTo(requestId));
        assertEquals(0, backends.payment().countWithRequestId(requestId));
    }

    @Test
    void statusAtTheRootRefusesAForeignOriginLikeEveryRoute() {
        given().header("Origin", "https://evil.example").get("/")
                .then().statusCode(403)
                .body("success", org.hamcrest.Matchers.equalTo(false))
                .body("error.code", org.hamcrest.Matchers.equalTo("FORBIDDEN"));
        given().header("Origin", ALLOWED).get("/").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("UP"));
        given().get("/").then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("UP"));
    }

    @Test
    void originMatchIsExactNotAPrefixOrSuffix() {
        given().header("Origin", ALLOWED + ".evil.example").get(PATH).then().statusCode(403);
        given().header("Origin", "https://evil" + ALLOWED.substring("https://".length())).get(PATH).then().statusCode(403);
        given().header("Origin", ALLOWED + "/").get(PATH).then().statusCode(403);
    }

    @Test
    void requestWithoutOriginPassesWithoutCorsHeaders() {
        String requestId = "cors-none-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId).get(PATH)
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue())
                .body("service", equalTo("payment"));
        assertEquals(1, backends.payment().countWithRequestId(requestId));
    }

    @Test
    void preflightFromAllowedOriginIsAnsweredByTheGateway() {
        String requestId = "cors-pre-" + UUID.randomUUID();
        given().header("Origin", ALLOWED)
                .header("X-Request-Id", requestId)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type, idempotency-key")
                .options("/api/payment/initiate")
                .then().statusCode(204)
                .header("Access-Control-Allow-Origin", ALLOWED)
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", equalTo("Authorization, Content-Type, Idempotency-Key, X-Request-Id"))
                .header("Access-Control-Max-Age", "600");
        assertEquals(0, backends.payment().countWithRequestId(requestId), "the preflight is not forwarded");
    }

    @Test
    void preflightFromOtherOriginIsForbidden() {
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .options("/api/payment/initiate")
                .then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue())
                .body("error.code", equalTo("FORBIDDEN"));
    }

    @Test
    void preflightOnAProtectedRouteNeedsNoToken() {
        given().header("Origin", ALLOWED).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .options("/stripe/products")
                .then().statusCode(204).header("Access-Control-Allow-Origin", ALLOWED);
    }

    @Test
    void webhookRoutesIgnoreOriginAndSendNoCorsHeaders() {
        String requestId = "cors-hook-" + UUID.randomUUID();
        given().header("Origin", "https://evil.example").header("X-Request-Id", requestId)
                .body("{}").post("/webhooks/stripe")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue())
                .body("service", equalTo("webhook"));
        assertEquals(1, backends.webhook().countWithRequestId(requestId));
    }
}
