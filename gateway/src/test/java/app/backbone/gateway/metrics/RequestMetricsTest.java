package app.backbone.gateway.metrics;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.backbone.gateway.support.ClientIps;
import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.routing.RouteTable;
import app.backbone.testing.Management;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Request metrics are tagged by route, never by the raw path: no secrets in /q/metrics, no unbounded tag values. */
@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
class RequestMetricsTest {

    @jakarta.inject.Inject
    RouteTable routes;

    @Test
    void metricsNameRoutesNotPathsWhateverTheAnswer() {
        given().header("X-Forwarded-For", ClientIps.next()).get("/api/payment/verify/PSK-123-secret").then().statusCode(200);
        List<String> randoms = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String random = "rnd" + UUID.randomUUID().toString().replace("-", "");
            randoms.add(random);
            String ip = ClientIps.next();
            switch (i % 8) {
                case 0 -> given().header("X-Forwarded-For", ip).get("/api/payment/" + random).then().statusCode(200);
                case 1 -> given().header("X-Forwarded-For", ip).get("/stripe/" + random).then().statusCode(401);
                case 2 -> given().header("X-Forwarded-For", ip).header("Origin", "https://evil.example")
                        .get("/api/payment/verify/" + random).then().statusCode(403);
                case 3 -> given().header("X-Forwarded-For", ip).contentType("application/json")
                        .body("x".repeat(70_000)).post("/api/contact/" + random)
                        .then().statusCode(413);
                case 4 -> given().urlEncodingEnabled(false).header("X-Forwarded-For", ip).get("/api/payment/" + random + "/..%2f").then().statusCode(400);
                case 5 -> given().header("X-Forwarded-For", ip).get("/q/" + random).then().statusCode(404);
                default -> given().header("X-Forwarded-For", ip).get("/" + random).then().statusCode(404);
            }
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = Management.metrics();
            assertTrue(metrics.contains("uri=\"/api/payment/verify/*\""), "verify is counted under its route");
            assertTrue(metrics.contains("uri=\"/unmatched\""), "unmatched paths are counted under one value");
        });
        String metrics = Management.metrics();
        assertFalse(metrics.contains("PSK-123-secret"), "a payment reference reached /q/metrics");
        for (String random : randoms) {
            assertFalse(metrics.contains(random), "a raw path reached /q/metrics: " + random);
        }
        Set<String> uris = Management.requestUriTags(metrics);
        // At most a route's prefix and prefix/* each, plus "/" and /unmatched: the registry is shared by every test in
        // this JVM, so the bound is the route table, not this test's requests.
        assertTrue(uris.size() <= 2 * routes.all().size() + 2, "uri tag values stay few: " + uris);
    }
}
