package app.backbone.gateway.headers;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import app.backbone.gateway.support.ClientIps;
import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.support.InjectBackends;
import app.backbone.gateway.support.TestBackends;
import app.backbone.gateway.support.Tokens;
import app.backbone.testing.RawHttp;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
class SecurityHeadersTest {

    private static final Map<String, String> HARDENING = Map.of(
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer",
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");

    @InjectBackends
    TestBackends backends;

    @Test
    void proxiedAnswersCarryTheHardeningHeadersAndNoServerBanner() {
        hardened(given().get("/api/payment/verify/REF-HEADERS").then().statusCode(200).body("service", equalTo("payment")))
                .header("Strict-Transport-Security", nullValue());
    }

    @Test
    void gatewayErrorsCarryThemToo() {
        hardened(given().get("/no/such/route").then().statusCode(404).body("error.code", equalTo("NOT_FOUND")));
        hardened(given().get("/stripe/products").then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED")));
    }

    @Test
    void rootCarriesThem() {
        hardened(given().get("/").then().statusCode(200).body("status", equalTo("UP")));
    }

    @Test
    void hstsIsSentWhenATrustedProxySaysTheClientUsedTls() {
        hardened(given().header("X-Forwarded-Proto", "https").get("/api/payment/verify/REF-TLS").then().statusCode(200))
                .header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }

    /**
     * Whichever handler answers (the pipeline, the envelope for what no route takes, the declared-length check, the rate
     * limiter, the proxy), the answer is hardened, carries its request id, and nothing reached a service. The gateway
     * itself never answers 405 (its routes match by path); a service's 405 is proxied like any answer (above).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"404 unknown route", "404 management path", "404 method the status path does not take",
            "413 declared over the server limit", "413 over the route limit", "400 dot segment", "401 no token",
            "403 foreign origin", "429 rate limited", "503 service down"})
    void everyErrorAnswerCarriesTheHardeningHeaders(String kind) throws Exception {
        String requestId = "hardened-" + UUID.randomUUID();
        int status = Integer.parseInt(kind.substring(0, 3));
        Answer answer = switch (kind) {
            case "404 unknown route" -> Answer.of(request(requestId).get("/no/such/route"));
            case "404 management path" -> Answer.of(request(requestId).get("/q/health"));
            case "404 method the status path does not take" -> Answer.of(request(requestId).post("/"));
            case "413 declared over the server limit" -> Answer.of(RawHttp.send(RestAssured.port,
                    "POST /api/contact HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 3000000\r\nX-Request-Id: " + requestId + "\r\n\r\n"));
            case "413 over the route limit" -> Answer.of(request(requestId).contentType("application/json")
                    .body("x".repeat(70_000)).post("/api/contact"));
            case "400 dot segment" -> Answer.of(request(requestId).urlEncodingEnabled(false)
                    .get("/api/payment/x/..%2f"));
            case "401 no token" -> Answer.of(request(requestId).get("/stripe/products"));
            case "403 foreign origin" -> Answer.of(request(requestId).header("Origin", "https://evil.example")
                    .get("/api/payment/verify/PSK-1"));
            case "429 rate limited" -> {
                // The test route allows a user two requests a minute.
                String token = "Bearer " + Tokens.valid("user_hardened_" + UUID.randomUUID());
                for (int i = 0; i < 2; i++) {
                    request("warm-" + requestId).header("Authorization", token).get("/test-user-limited/things")
                            .then().statusCode(200);
                }
                yield Answer.of(request(requestId).header("Authorization", token).get("/test-user-limited/things"));
            }
            case "503 service down" -> Answer.of(request(requestId).get("/test-down"));
            default -> throw new IllegalArgumentException(kind);
        };

        assertEquals(status, answer.status(), kind);
        HARDENING.forEach((name, value) -> assertEquals(Optional.of(value), answer.header(name), name + " on " + kind));
        assertEquals(Optional.empty(), answer.header("Server"), "no Server banner on " + kind);
        assertEquals(Optional.of(requestId), answer.header("X-Request-Id"), kind);
        assertEquals(false, answer.body().getBoolean("success"), kind);
        assertEquals(requestId, answer.body().getJsonObject("error").getString("requestId"), kind);
        assertFalse(answer.body().getJsonObject("error").getString("code").isBlank(), kind);
        assertEquals(0, backends.contact().countWithRequestId(requestId) + backends.payment().countWithRequestId(requestId)
                + backends.webhook().countWithRequestId(requestId), "no service saw " + kind);
    }

    private static RequestSpecification request(String requestId) {
        return given().header("X-Request-Id", requestId).header("X-Forwarded-For", ClientIps.next());
    }

    /** An answer's status, headers and envelope, whether RestAssured or a raw socket carried it. */
    private record Answer(int status, Function<String, Optional<String>> headers, JsonObject body) {

        static Answer of(Response response) {
            return new Answer(response.statusCode(), name -> Optional.ofNullable(response.header(name)),
                    new JsonObject(response.asString()));
        }

        static Answer of(RawHttp.Answer raw) {
            return new Answer(raw.status(), raw::header, new JsonObject(raw.body()));
        }

        Optional<String> header(String name) {
            return headers.apply(name);
        }
    }

    private static ValidatableResponse hardened(ValidatableResponse response) {
        return response
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
                .header("Server", nullValue())
                .header("X-Request-Id", org.hamcrest.Matchers.notNullValue());
    }
}
