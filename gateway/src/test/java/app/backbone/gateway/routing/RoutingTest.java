package app.backbone.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.support.InjectBackends;
import app.backbone.gateway.support.RecordingUpstream;
import app.backbone.gateway.support.RecordingUpstream.Received;
import app.backbone.gateway.support.TestBackends;
import app.backbone.gateway.support.Tokens;
import app.backbone.testing.Management;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
class RoutingTest {

    @InjectBackends
    TestBackends backends;

    @Test
    void traceContextReachesTheServiceInTheSameTrace() {
        String requestId = "trace-" + UUID.randomUUID();
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        given().header("X-Request-Id", requestId)
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .contentType("application/json").body("{}")
                .post("/api/contact")
                .then().statusCode(200).header("X-Upstream", "contact");

        Received received = backends.contact().withRequestId(requestId).orElseThrow();
        String traceparent = received.header("traceparent");
        org.junit.jupiter.api.Assertions.assertNotNull(traceparent, "the service gets a trace context");
        assertEquals(traceId, traceparent.split("-")[1], "the service continues the caller's trace");
        org.junit.jupiter.api.Assertions.assertNotEquals("00f067aa0ba902b7", traceparent.split("-")[2],
                "the gateway's own span is the service's parent");
    }

    @ParameterizedTest(name = "{0} {1} reaches {2}")
    @CsvSource({
            "POST, /api/contact, contact, false",
            "POST, /api/payment/initiate, payment, false",
            "GET, /api/payment/verify/PSK-1700000000000-abc, payment, false",
            "POST, /api/payment/webhook, webhook, false",
            "GET, /stripe/products, payment, true",
            "GET, /stripe/products/prod_123, payment, true",
            "GET, /stripe/prices?active=true&limit=3, payment, true",
            "GET, /stripe/prices/price_123, payment, true",
            "POST, /stripe/customer, payment, true",
            "POST, /stripe/checkout, payment, true",
            "GET, /stripe/subscriptions, payment, true",
            "POST, /stripe/subscriptions/sub_123/cancel, payment, true",
            "POST, /stripe/subscriptions/sub_123/update, payment, true",
            "POST, /stripe/portal, payment, true",
            "GET, /stripe/invoices?limit=3, payment, true",
            "GET, /stripe/invoices/in_123, payment, true",
            "GET, /stripe/payment-methods, payment, true",
            "POST, /webhooks/stripe, webhook, false",
            "POST, /webhooks/paystack, webhook, false",
    })
    void everyRouteReachesItsServiceWithBodyAndHeadersIntact(String method, String path, String service, boolean needsToken) {
        String requestId = "route-" + UUID.randomUUID();
        byte[] body = ("{\"email\":\"ada@example.com\",\"note\":\"caf\u00e9  \\u00e9 \",\"n\":1}").getBytes(StandardCharsets.UTF_8);
        String token = needsToken ? Tokens.valid("user_routing") : null;
        var request = given()
                .header("X-Request-Id", requestId)
                .header("X-Custom-Trace", "abc123")
                .header("Idempotency-Key", "idem-" + requestId);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (method.equals("POST")) {
            request.contentType("application/json").body(body);
        }
        Response response = request.request(method, path);

        response.then()
                .statusCode(200)
                .header("X-Request-Id", requestId)
                .header("X-Upstream", service)
                .header("Server", nullValue())
                .body("service", equalTo(service))
                .body("uri", equalTo(path));

        RecordingUpstream upstream = upstream(service);
        Received received = upstream.withRequestId(requestId).orElseThrow(() -> new AssertionError(service + " got nothing"));
        assertEquals(method, received.method());
        assertEquals(path, received.uri());
        assertEquals("abc123", received.header("X-Custom-Trace"));
        assertEquals("idem-" + requestId, received.header("Idempotency-Key"));
        assertEquals("127.0.0.1", received.header("X-Forwarded-For"));
        assertEquals("http", received.header("X-Forwarded-Proto"));
        assertTrue(received.header("X-Forwarded-Host").startsWith("localhost:"), received.header("X-Forwarded-Host"));
        if (token != null) {
            assertEquals("Bearer " + token, received.header("Authorization"));
        }
        if (method.equals("POST")) {
            assertArrayEquals(body, received.body());
            assertTrue(received.header("Content-Type").startsWith("application/json"), received.header("Content-Type"));
        }
        for (String other : new String[] { "contact", "payment", "webhook" }) {
            if (!other.equals(service)) {
                assertEquals(0, upstream(other).countWithRequestId(requestId));
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} needs a token")
    @CsvSource({
            "POST, /stripe/checkout",
            "GET, /stripe/subscriptions",
            "POST, /stripe/subscriptions/sub_123/cancel",
            "POST, /stripe/subscriptions/sub_123/update",
            "POST, /stripe/portal",
            "GET, /stripe/invoices",
            "GET, /stripe/invoices/in_123",
            "GET, /stripe/payment-methods",
    })
    void subscriptionRoutesAreRefusedWithoutATokenBeforeTheService(String method, String path) {
        String requestId = "no-token-" + UUID.randomUUID();
        var request = given().header("X-Request-Id", requestId);
        if (method.equals("POST")) {
            request.contentType("application/json").body("{}");
        }
        request.request(method, path)
                .then().statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED"))
                .body("error.requestId", equalTo(requestId));
        assertNoUpstreamSaw(requestId);
    }

    @Test
    void rootAnswersUpWhateverAuthorizationIsSent() {
        given().header("Authorization", "Bearer not.a.token").get("/")
                .then().statusCode(200).body("status", equalTo("UP"));
        given().header("Authorization", "Basic Zm9vOmJhcg==").get("/")
                .then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void unknownPathIsNotFoundInTheEnvelope() {
        String requestId = "unknown-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId).get("/api/nothing-here")
                .then().statusCode(404)
                .body("success", equalTo(false))
                .body("error.code", equalTo("NOT_FOUND"))
                .body("error.requestId", equalTo(requestId));
        assertNoUpstreamSaw(requestId);
    }

    @Test
    void prefixMatchesWholeSegmentsOnly() {
        String requestId = "segment-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId).contentType("application/json").body("{}").post("/api/contactx")
                .then().statusCode(404).body("error.code", equalTo("NOT_FOUND"));
        assertNoUpstreamSaw(requestId);
    }

    @Test
    void longestPrefixWinsForThePaymentWebhook() {
        String requestId = "longest-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId).body("{}").post("/api/payment/webhook")
                .then().statusCode(200).body("service", equalTo("webhook"));
        assertEquals(1, backends.webhook().countWithRequestId(requestId));
        assertEquals(0, backends.payment().countWithRequestId(requestId));
    }

    @Test
    void dotSegmentsCannotSlipPastTheTokenCheck() {
        String requestId = "dots-" + UUID.randomUUID();
        given().urlEncodingEnabled(false).header("X-Request-Id", requestId)
                .get("/api/contact/%2e%2e/%2e%2e/stripe/products")
                .then().statusCode(400).body("error.code", equalTo("VALIDATION_ERROR"));
        assertNoUpstreamSaw(requestId);
    }

    @Test
    void requestIdIsMadeWhenMissingAndPassedUpstream() {
        Response response = given().get("/api/payment/verify/REF-NO-ID");
        response.then().statusCode(200);
        String made = response.header("X-Request-Id");
        assertTrue(made.matches("[0-9a-f-]{36}"), made);
        assertTrue(backends.payment().withRequestId(made).isPresent());
    }

    @Test
    void hopByHopHeadersAreDroppedBothWays() {
        String requestId = "hop-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId)
                .header("Connection", "keep-alive, X-Client-Hop")
                .header("X-Client-Hop", "secret")
                .header("Keep-Alive", "timeout=5")
                .header("Proxy-Authorization", "Basic Zm9vOmJhcg==")
                .get("/api/payment/verify/REF-HOP")
                .then().statusCode(200)
                .header("X-Upstream-Hop", nullValue())
                .header("Keep-Alive", nullValue());
        Received received = backends.payment().withRequestId(requestId).orElseThrow();
        assertNull(received.header("X-Client-Hop"));
        assertNull(received.header("Proxy-Authorization"));
        assertNull(received.header("Keep-Alive"));
    }

    @Test
    void forwardedForFromATrustedProxyIsExtended() {
        String requestId = "xff-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId).header("X-Forwarded-For", "203.0.113.9")
                .header("X-Forwarded-Proto", "https")
                .get("/api/payment/verify/REF-XFF").then().statusCode(200);
        Received received = backends.payment().withRequestId(requestId).orElseThrow();
        assertEquals("203.0.113.9, 127.0.0.1", received.header("X-Forwarded-For"));
        assertEquals("https", received.header("X-Forwarded-Proto"));
    }

    @Test
    void upstreamStatusIsPassedThrough() {
        given().get("/api/payment/verify/status-418").then().statusCode(418).body("service", equalTo("payment"));
    }

    @Test
    void gatewayHealthIsServedOnTheManagementPortNotProxied() {
        Management.given().get("/q/health/live").then().statusCode(200)
                .body("status", equalTo("UP"));
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'rate-limit-store' }.data.store", equalTo("memory"));
        Management.given().get("/q/metrics").then().statusCode(200);
    }

    @ParameterizedTest(name = "GET {0} on the public port is 404 in the envelope")
    @CsvSource({ "/q", "/q/health", "/q/health/ready", "/q/metrics", "/q/openapi", "/q/swagger-ui/", "/q/dev-ui" })
    void internalsAreNotOnThePublicPort(String path) {
        String requestId = "q-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId).get(path)
                .then().statusCode(404)
                .body("success", equalTo(false))
                .body("error.code", equalTo("NOT_FOUND"));
        assertNoUpstreamSaw(requestId);
    }

    private void assertNoUpstreamSaw(String requestId) {
        assertEquals(0, backends.contact().countWithRequestId(requestId));
        assertEquals(0, backends.payment().countWithRequestId(requestId));
        assertEquals(0, backends.webhook().countWithRequestId(requestId));
    }

    private RecordingUpstream upstream(String service) {
        return switch (service) {
            case "contact" -> backends.contact();
            case "payment" -> backends.payment();
            case "webhook" -> backends.webhook();
            default -> throw new IllegalArgumentException(service);
        };
    }
}
