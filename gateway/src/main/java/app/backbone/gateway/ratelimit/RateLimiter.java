package app.backbone.gateway.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import app.backbone.common.network.AddressRange;
import app.backbone.gateway.GatewayConfig;
import app.backbone.gateway.GatewayConfig.KeyBy;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;

/**
 * Applies the configured policies, in memory or, when {@code REDIS_URL} is set, in Redis shared by all replicas. When
 * Redis cannot be reached at start-up the gateway still starts, with limits in memory and a warning, and moves its
 * buckets to Redis as soon as it answers (tried every {@link #REDIS_RETRY}). When Redis fails later, each request is
 * counted in this replica's memory until Redis answers again: a weaker limit, never none.
 */
@ApplicationScoped
public class RateLimiter {

    static final Duration REDIS_RETRY = Duration.ofSeconds(5);

    private final Map<String, RateLimitPolicy> policies;
    /** Each policy's {@code RateLimit-Policy} value, encoded once: it is sent on every answer. */
    private final Map<String, CharSequence> policyHeaders = new HashMap<>();
    private final GatewayConfig.RateLimit config;
    private final int ipv6Prefix;
    private volatile BucketStore store;
    private volatile BucketStore fallback;
    private volatile boolean redisFailing;
    private volatile boolean redisWanted;
    private volatile boolean redisConnected;
    private ScheduledExecutorService redisRetry;

    public RateLimiter(GatewayConfig config) {
        this.config = config.rateLimit();
        this.policies = buildPolicies(config.rateLimit());
        policies.forEach((name, policy) -> policyHeaders.put(name, HttpHeaders.createOptimized(policy.policyHeader())));
        this.ipv6Prefix = config.rateLimit().ipv6Prefix();
        if (ipv6Prefix < 16 || ipv6Prefix > 128) {
            throw new IllegalStateException("gateway.rate-limit.ipv6-prefix (RATE_LIMIT_IPV6_PREFIX) must be 16 to 128: " + ipv6Prefix);
        }
    }

    void start(@Observes StartupEvent event) {
        start();
    }

    /** Opens the bucket store; blocking when it is Redis, so it runs at start-up. */
    public void start() {
        Optional<String> redisUrl = config.redisUrl().filter(s -> !s.isBlank());
        Duration idle = policies.values().stream().map(RateLimitPolicy::longestWindow).max(Duration::compareTo).orElseThrow();
        fallback = new InMemoryBucketStore(idle, config.maxLocalBuckets());
        if (redisUrl.isPresent()) {
            redisWanted = true;
            if (!connectRedis(redisUrl.get())) {
                store = fallback;
                Log.warnf("Redis is unreachable: rate-limit buckets live in memory (per replica) until it answers; retrying every %d s",
                        REDIS_RETRY.toSeconds());
                redisRetry = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread thread = new Thread(r, "rate-limit-redis-retry");
                    thread.setDaemon(true);
                    return thread;
                });
                redisRetry.scheduleWithFixedDelay(() -> {
                    if (connectRedis(redisUrl.get())) {
                        redisRetry.shutdown();
                    }
                }, REDIS_RETRY.toMillis(), REDIS_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        } else {
            store = fallback;
            Log.info("Rate-limit buckets live in memory (set REDIS_URL to share them between replicas)");
        }
    }

    /** Connects to Redis and moves the buckets there; false (and the current store kept) when it does not answer. */
    private synchronized boolean connectRedis(String url) {
        try {
            BucketStore previous = store;
            store = new RedisBucketStore(url, config.redisKeyPrefix());
            redisConnected = true;
            if (previous != null) {
                // The in-memory store stays as the fallback for when Redis fails.
                Log.info("Redis answers again: rate-limit buckets now live in Redis, shared by every gateway replica");
            } else {
                Log.info("Rate-limit buckets live in Redis, shared by every gateway replica");
            }
            return true;
        } catch (RuntimeException e) {
            Log.debugf("Redis not reachable: %s", e.getMessage());
            return false;
        }
    }

    /** Where the buckets live now: {@code redis}, {@code memory}, or {@code memory (redis unreachable)}. */
    public String storeDescription() {
        if (redisConnected && redisFailing) {
            return "memory (redis failing)";
        }
        if (redisConnected) {
            return "redis";
        }
        return redisWanted ? "memory (redis unreachable)" : "memory";
    }

    /** True while REDIS_URL is set but the buckets live in memory because Redis has not answered yet. */
    public boolean degraded() {
        return redisWanted && (!redisConnected || redisFailing);
    }

    public RateLimitPolicy policy(String name) {
        RateLimitPolicy policy = policies.get(name);
        if (policy == null) {
            throw new IllegalArgumentException("No rate-limit policy " + name);
        }
        return policy;
    }

    /** The policy's {@code RateLimit-Policy} header value. */
    public CharSequence policyHeader(RateLimitPolicy policy) {
        return policyHeaders.get(policy.name());
    }

    /**
     * The buckets a request draws from: always the client's network (an IPv4 address, an IPv6 {@code /ipv6-prefix}),
     * and also the user's when the policy counts per user and a verified user came, so extra accounts behind one
     * address do not multiply its quota.
     */
    public List<String> subjects(RateLimitPolicy policy, String clientIp, Optional<String> user) {
        List<String> subjects = new ArrayList<>(2);
        subjects.add(ipSubject(AddressRange.networkKey(clientIp, ipv6Prefix)));
        if (policy.keyBy() == KeyBy.USER && user.isPresent()) {
            subjects.add(userSubject(user.get()));
        }
        return subjects;
    }

    /** The bucket subject of a client network. */
    public static String ipSubject(String clientNetwork) {
        return "ip:" + clientNetwork;
    }

    /** The bucket subject of a verified user, the same on every route that counts per user. */
    public static String userSubject(String userId) {
        return "user:" + userId;
    }

    /**
     * Takes one request from the bucket of every subject under the policy; allowed only when all of them allow it. The
     * future completes on {@code context}.
     */
    public Future<RateLimitDecision> take(RateLimitPolicy policy, List<String> subjects, Context context) {
        List<Future<RateLimitDecision>> takes = new ArrayList<>(subjects.size());
        for (String subject : subjects) {
            takes.add(take(policy, subject, context));
        }
        return Future.all(takes).map(all -> {
            List<RateLimitDecision> decisions = all.list();
            return RateLimitDecision.strictest(decisions);
        });
    }

    /** Takes one request from the bucket of {@code subject} under the policy; the future completes on {@code context}. */
    public Future<RateLimitDecision> take(RateLimitPolicy policy, String subject, Context context) {
        String key = policy.name() + ":" + subject;
        BucketStore current = store;
        return Future.fromCompletionStage(current.takeOne(key, policy), context)
                .map(result -> {
                    if (redisFailing && current != fallback) {
                        redisFailing = false;
                        Log.info("Redis answers again: rate limits are shared by every replica again");
                    }
                    return RateLimitDecision.from(policy, result);
                })
                .recover(failure -> {
                    if (current == fallback) {
                        return Future.failedFuture(failure);
                    }
                    if (!redisFailing) {
                        redisFailing = true;
                        Log.warnf("Rate-limit store failed (%s): counting in this replica's memory until it answers",
                                failure.getMessage());
                    }
                    return Future.fromCompletionStage(fallback.takeOne(key, policy), context)
                            .map(result -> RateLimitDecision.from(policy, result));
                });
    }

    @PreDestroy
    public void stop() {
        if (redisRetry != null) {
            redisRetry.shutdownNow();
        }
        if (store != null) {
            store.close();
        }
        if (fallback != null && fallback != store) {
            fallback.close();
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
