package app.backbone.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import app.backbone.gateway.support.ClientIps;
import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.support.InjectBackends;
import app.backbone.gateway.support.StoppableRedisResource;
import app.backbone.gateway.support.TestBackends;
import app.backbone.testing.Concurrently;
import app.backbone.testing.Management;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Redis dies while the gateway runs: requests are counted in memory and refused past the limit, never all let through. */
@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
@WithTestResource(StoppableRedisResource.class)
class RedisFailureTest {

    @InjectBackends
    TestBackends backends;

    @Test
    void redisFailingMidRunStillLimitsWithLocalBuckets() throws Exception {
        var config = ConfigProvider.getConfig();
        Assumptions.assumeTrue(config.getValue("test.redis.available", Boolean.class),
                () -> config.getOptionalValue("test.redis.unavailable-reason", String.class).orElse(""));
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'rate-limit-store' }.data.store", equalTo("redis"));
        contact(ClientIps.next(), "redis-up-" + UUID.randomUUID()).then().statusCode(200);

        StoppableRedisResource.shutDown(config.getValue("test.redis.port", Integer.class));

        String ip = ClientIps.next();
        String run = "redis-down-" + UUID.randomUUID();
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String requestId = run + "-" + i;
            calls.add(() -> contact(ip, requestId).statusCode());
        }
        List<Integer> statuses = Concurrently.all(calls);
        assertEquals(5, statuses.stream().filter(s -> s == 200).count(), "contact allows 5 a minute: " + statuses);
        assertEquals(5, statuses.stream().filter(s -> s == 429).count(), "the rest are refused: " + statuses);
        contact(ip, run + "-last").then().statusCode(429).body("success", equalTo(false))
                .body("error.code", equalTo("RATE_LIMITED"));
        assertEquals(5, backends.contact().received().stream().filter(r -> r.header("X-Request-Id").startsWith(run)).count());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> Management.given().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.find { it.name == 'rate-limit-store' }.data.degraded", equalTo(true)));
    }

    private static Response contact(String ip, String requestId) {
        return given().header("X-Forwarded-For", ip).header("X-Request-Id", requestId)
                .contentType("application/json").body("{\"name\":\"Ada\"}").post("/api/contact");
    }
}
