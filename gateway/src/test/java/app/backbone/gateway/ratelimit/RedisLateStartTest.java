package app.backbone.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.testing.Management;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import redis.embedded.RedisServer;

/** REDIS_URL names a Redis that is down at start-up: the gateway starts anyway, then moves to Redis when it answers. */
@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
@TestProfile(RedisLateStartTest.RedisDownAtStart.class)
class RedisLateStartTest {

    /** One port for the profile and the test, which Quarkus loads in different class loaders: a system property. */
    static synchronized int port() {
        String port = System.getProperty("test.redis-late-start.port");
        if (port == null) {
            port = String.valueOf(freePort());
            System.setProperty("test.redis-late-start.port", port);
        }
        return Integer.parseInt(port);
    }

    public static class RedisDownAtStart implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.rate-limit.redis-url", "redis://127.0.0.1:" + port());
        }
    }

    @Test
    void gatewayStartsWithoutRedisLimitsInMemoryAndSwitchesWhenRedisComesBack() throws Exception {
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'rate-limit-store' }.data.store", equalTo("memory (redis unreachable)"))
                .body("checks.find { it.name == 'rate-limit-store' }.data.degraded", equalTo(true));
        given().get("/api/payment/verify/REF-NO-REDIS").then().statusCode(200)
                .header("RateLimit-Policy", org.hamcrest.Matchers.notNullValue());

        RedisServer redis;
        try {
            redis = RedisServer.newRedisServer().port(port()).bind("127.0.0.1").setting("save \"\"")
                    .setting("appendonly no").build();
            redis.start();
        } catch (Exception | LinkageError e) {
            Assumptions.abort("embedded redis-server would not start here: " + e);
            return;
        }
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> Management.given().get("/q/health/ready")
                    .then().statusCode(200)
                    .body("checks.find { it.name == 'rate-limit-store' }.data.store", equalTo("redis"))
                    .body("checks.find { it.name == 'rate-limit-store' }.data.degraded", equalTo(false)));
            given().get("/api/payment/verify/REF-REDIS-BACK").then().statusCode(200);
        } finally {
            redis.stop();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
