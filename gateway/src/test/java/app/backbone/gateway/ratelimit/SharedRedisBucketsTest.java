package app.backbone.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import app.backbone.gateway.GatewayConfig.KeyBy;
import app.backbone.gateway.support.TestRedis;

/** Two limiter instances (two gateway replicas) on one real Redis draw from the same bucket. */
class SharedRedisBucketsTest {

    private final RateLimitPolicy fivePerMinute = new RateLimitPolicy("shared", KeyBy.IP,
            List.of(new RateLimitPolicy.Limit(5, Duration.ofMinutes(1))));

    @Test
    void twoReplicasShareOneLimit() {
        String url = redisOrSkip();
        String prefix = "gateway-test:" + UUID.randomUUID() + ":";
        try (RedisBucketStore replicaA = new RedisBucketStore(url, prefix);
                RedisBucketStore replicaB = new RedisBucketStore(url, prefix)) {
            long[] expectedRemaining = { 4, 3, 2, 1, 0 };
            for (int i = 0; i < 5; i++) {
                RedisBucketStore replica = i % 2 == 0 ? replicaA : replicaB;
                RateLimitDecision decision = take(replica, "ip:192.0.2.1");
                assertTrue(decision.allowed(), "request " + (i + 1) + " is within the shared limit");
                assertEquals(expectedRemaining[i], decision.remaining());
            }
            RateLimitDecision sixthOnB = take(replicaB, "ip:192.0.2.1");
            RateLimitDecision seventhOnA = take(replicaA, "ip:192.0.2.1");
            assertFalse(sixthOnB.allowed());
            assertFalse(seventhOnA.allowed());
            assertTrue(seventhOnA.retryAfterSeconds() >= 1);
            assertTrue(take(replicaB, "ip:192.0.2.2").allowed(), "another client has its own bucket");
        }
    }

    @Test
    void concurrentRequestsOnBothReplicasAllowExactlyTheLimit() {
        String url = redisOrSkip();
        String prefix = "gateway-test:" + UUID.randomUUID() + ":";
        try (RedisBucketStore replicaA = new RedisBucketStore(url, prefix);
                RedisBucketStore replicaB = new RedisBucketStore(url, prefix)) {
            List<CompletableFuture<RateLimitDecision>> all = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                RedisBucketStore replica = i % 2 == 0 ? replicaA : replicaB;
                all.add(replica.takeOne("ip:192.0.2.9", fivePerMinute).toCompletableFuture()
                        .thenApply(result -> RateLimitDecision.from(fivePerMinute, result)));
            }
            long allowed = all.stream().map(CompletableFuture::join).filter(RateLimitDecision::allowed).count();
            assertEquals(5, allowed);
        }
    }

    private RateLimitDecision take(RedisBucketStore store, String key) {
        return RateLimitDecision.from(fivePerMinute, store.takeOne(key, fivePerMinute).toCompletableFuture().join());
    }

    private static String redisOrSkip() {
        var url = TestRedis.url();
        Assumptions.assumeTrue(url.isPresent(), TestRedis.unavailableReason());
        return url.get();
    }
}
