package app.backbone.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import app.backbone.gateway.GatewayConfig;
import app.backbone.gateway.support.ClientIps;
import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.support.InjectBackends;
import app.backbone.gateway.support.RedisTestResource;
import app.backbone.gateway.support.TestBackends;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.Vertx;

/**
 * The gateway with {@code REDIS_URL} set, plus a second limiter built from the same configuration standing in for
 * another replica: requests through either count against one contact limit.
 */
@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
@TestProfile(RedisSharedGatewayLimitTest.WithRedis.class)
class RedisSharedGatewayLimitTest {

    public static class WithRedis implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.rate-limit.redis-key-prefix", "gateway-test:" + UUID.randomUUID() + ":");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisTestResource.class));
        }
    }

    @Inject
    GatewayConfig config;

    @Inject
    Vertx vertx;

    @InjectBackends
    TestBackends backends;

    @Test
    void gatewayAndAnotherReplicaShareTheContactLimitThroughRedis() {
        var settings = ConfigProvider.getConfig();
        Assumptions.assumeTrue(settings.getValue("test.redis.available", Boolean.class),
                () -> settings.getOptionalValue("test.redis.unavailable-reason", String.class).orElse("no Redis"));

        String ip = ClientIps.next();
        String run = "redis-" + UUID.randomUUID();
        for (int i = 1; i <= 3; i++) {
            contact(ip, run + "-" + i).then().statusCode(200)
                    .header("RateLimit", matchesPattern("limit=5, remaining=" + (5 - i) + ", .*"));
        }

        RateLimiter otherReplica = new RateLimiter(config);
        otherReplica.start();
        try {
            RateLimitPolicy contact = otherReplica.policy("contact");
            RateLimitDecision fourth = join(otherReplica, contact, ip);
            RateLimitDecision fifth = join(otherReplica, contact, ip);
            RateLimitDecision sixth = join(otherReplica, contact, ip);
            assertTrue(fourth.allowed());
            assertEquals(1, fourth.remaining(), "the other replica sees the gateway's three requests");
            assertTrue(fifth.allowed());
            assertFalse(sixth.allowed());
        } finally {
            otherReplica.stop();
        }

        contact(ip, run + "-7").then().statusCode(429).body("error.code", equalTo("RATE_LIMITED"));
        long reached = backends.contact().received().stream().filter(r -> r.header("X-Request-Id").startsWith(run)).count();
        assertEquals(3, reached);
    }

    private RateLimitDecision join(RateLimiter limiter, RateLimitPolicy policy, String ip) {
        return limiter.take(policy, RateLimiter.ipSubject(ip), vertx.getOrCreateContext())
                .toCompletionStage().toCompletableFuture().join();
    }

    private static Response contact(String ip, String requestId) {
        return given().header("X-Forwarded-For", ip).header("X-Request-Id", requestId)
                .contentType("application/json").body("{\"name\":\"Ada\"}")
                .post("/api/contact");
    }
}
