package app.backbone.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.backbone.gateway.support.ClientIps;
import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.support.InjectBackends;
import app.backbone.gateway.support.TestBackends;
import app.backbone.gateway.support.Tokens;
import app.backbone.testing.Management;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
class RateLimitTest {

    @InjectBackends
    TestBackends backends;

    @Test
    void sixthContactFromOneIpInAMinuteIsRateLimitedWithHeaders() {
        String ip = freshIp();
        String run = "rl-" + UUID.randomUUID();
        double rejectedBefore = errorCount("RATE_LIMITED");
        for (int i = 1; i <= 5; i++) {
            Response ok = contact(ip, run + "-" + i);
            ok.then().statusCode(200)
                    .header("RateLimit-Policy", "5;w=60, 100;w=900")
                    .header("RateLimit", matchesPattern("limit=5, remaining=" + (5 - i) + ", reset=\\d+"));
        }
        Response limited = contact(ip, run + "-6");
        limited.then().statusCode(429)
                .header("RateLimit-Policy", "5;w=60, 100;w=900")
                .header("RateLimit", matchesPattern("limit=5, remaining=0, reset=\\d+"))
                .body("success", equalTo(false))
                .body("error.code", equalTo("RATE_LIMITED"))
                .body("error.requestId", equalTo(run + "-6"));
        long retryAfter = Long.parseLong(limited.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        long reached = backends.contact().received().stream()
                .filter(r -> r.header("X-Request-Id").startsWith(run)).count();
        assertEquals(5, reached, "exactly the five allowed requests reach the contact service");
        assertEquals(rejectedBefore + 1, errorCount("RATE_LIMITED"), "the rejection is counted in /q/metrics");
    }

    @Test
    void anotherClientIpHasItsOwnBucket() {
        String busy = freshIp();
        for (int i = 0; i < 6; i++) {
            contact(busy, "rl-busy-" + UUID.randomUUID());
        }
        contact(busy, "rl-busy-check").then().statusCode(429);
        String requestId = "rl-other-" + UUID.randomUUID();
        contact(freshIp(), requestId).then().statusCode(200).header("RateLimit", matchesPattern("limit=5, remaining=4, .*"));
        assertEquals(1, backends.contact().countWithRequestId(requestId));
    }

    @Test
    void authenticatedRouteCountsPerUser() {
        String alice = Tokens.valid("user_alice_" + UUID.randomUUID());
        String bob = Tokens.valid("user_bob_" + UUID.randomUUID());
        userLimited(alice, freshIp()).then().statusCode(200).header("RateLimit", matchesPattern("limit=2, remaining=1, .*"));
        userLimited(alice, freshIp()).then().statusCode(200);
        userLimited(alice, freshIp()).then().statusCode(429).body("error.code", equalTo("RATE_LIMITED"));
        userLimited(bob, freshIp()).then().statusCode(200).header("RateLimit", matchesPattern("limit=2, remaining=1, .*"));
    }

    private Response userLimited(String token, String ip) {
        return given().header("Authorization", "Bearer " + token).header("X-Forwarded-For", ip).get("/test-user-limited/things");
    }

    private static Response contact(String ip, String requestId) {
        return given().header("X-Forwarded-For", ip).header("X-Request-Id", requestId)
                .contentType("application/json").body("{\"name\":\"Ada\"}")
                .post("/api/contact");
    }

    private static String freshIp() {
        return ClientIps.next();
    }

    private static double errorCount(String code) {
        String metrics = Management.given().get("/q/metrics").asString();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^api_errors_total\\{[^}]*code=\"" + code + "\"[^}]*\\} ([0-9.eE+]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
