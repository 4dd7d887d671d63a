package app.backbone.gateway.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points the gateway's rate limiter at a real Redis when one is available (see {@link TestRedis}). */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return TestRedis.url()
                .map(url -> Map.of("gateway.rate-limit.redis-url", url, "test.redis.available", "true"))
                .orElseGet(() -> Map.of("gateway.rate-limit.redis-url", "", "test.redis.available", "false",
                        "test.redis.unavailable-reason", TestRedis.unavailableReason()));
    }

    @Override
    public void stop() {
        // the embedded server, if any, stops with the JVM
    }
}
