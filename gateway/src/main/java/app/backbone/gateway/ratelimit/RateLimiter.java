package app.backbone.gateway.ratelimit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import app.backbone.gateway.GatewayConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;

/** Applies the configured policies, in memory or, when {@code REDIS_URL} is set, in Redis shared by all replicas. */
@ApplicationScoped
public class RateLimiter {

    private final Map<String, RateLimitPolicy> policies;
    private final GatewayConfig.RateLimit config;
    private volatile BucketStore store;

    public RateLimiter(GatewayConfig config) {
        this.config = config.rateLimit();
        this.policies = buildPolicies(config.rateLimit());
    }

    void start(@Observes StartupEvent event) {
        start();
    }

    /** Opens the bucket store; blocking when it is Redis, so it runs at start-up. */
    public void start() {
        Optional<String> redisUrl = config.redisUrl().filter(s -> !s.isBlank());
        Duration idle = policies.values().stream().map(RateLimitPolicy::longestWindow).max(Duration::compareTo).orElseThrow();
        if (redisUrl.isPresent()) {
            store = new RedisBucketStore(redisUrl.get(), config.redisKeyPrefix());
            Log.info("Rate-limit buckets live in Redis, shared by every gateway replica");
        } else {
            store = new InMemoryBucketStore(idle, config.maxLocalBuckets());
            Log.info("Rate-limit buckets live in memory (set REDIS_URL to share them between replicas)");
        }
    }

    public RateLimitPolicy policy(String name) {
        RateLimitPolicy policy = policies.get(name);
        if (policy == null) {
            throw new IllegalArgumentException("No rate-limit policy " + name);
        }
        return policy;
    }

    /** The bucket subject of an anonymous caller. */
    public static String ipSubject(String clientIp) {
        return "ip:" + clientIp;
    }

    /** The bucket subject of a verified user, the same on every route that counts per user. */
    public static String userSubject(String userId) {
        return "user:" + userId;
    }

    /** Takes one request from the bucket of {@code subject} under the policy; the future completes on {@code context}. */
    public Future<RateLimitDecision> take(RateLimitPolicy policy, String subject, Context context) {
        String key = policy.name() + ":" + subject;
        return Future.fromCompletionStage(store.takeOne(key, policy), context)
                .map(result -> RateLimitDecision.from(policy, result))
                .recover(failure -> {
                    Log.warnf("Rate-limit store failed, letting the request through: %s", failure.getMessage());
                    return Future.succeededFuture(RateLimitDecision.unlimited(policy));
                });
    }

    @PreDestroy
    public void stop() {
        if (store != null) {
            store.close();
        }
    }

    private static Map<String, RateLimitPolicy> buildPolicies(GatewayConfig.RateLimit config) {
        if (!config.policies().containsKey("default")) {
            throw new IllegalStateException("gateway.rate-limit.policies.default must be configured");
        }
        Map<String, RateLimitPolicy> built = new HashMap<>();
        config.policies().forEach((name, policy) -> {
            List<RateLimitPolicy.Limit> limits = policy.limits().stream()
                    .map(l -> new RateLimitPolicy.Limit(l.requests(), l.per()))
                    .toList();
            built.put(name, new RateLimitPolicy(name, policy.keyBy(), limits));
        });
        return Map.copyOf(built);
    }
}
