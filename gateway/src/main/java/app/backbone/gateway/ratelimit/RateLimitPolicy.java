package app.backbone.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import app.backbone.gateway.GatewayConfig.KeyBy;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;

/** A named set of limits and what they are counted per, as Bucket4j configuration. */
public record RateLimitPolicy(String name, KeyBy keyBy, List<Limit> limits) {

    public record Limit(long requests, Duration per) {
    }

    public RateLimitPolicy {
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("Rate-limit policy " + name + " has no limits");
        }
        for (Limit limit : limits) {
            if (limit.requests() <= 0 || limit.per().isZero() || limit.per().isNegative()) {
                throw new IllegalArgumentException("Rate-limit policy " + name + " has a limit that is not positive");
            }
        }
        limits = List.copyOf(limits);
    }

    public BucketConfiguration bucketConfiguration() {
        ConfigurationBuilder builder = BucketConfiguration.builder();
        for (Limit limit : limits) {
            builder.addLimit(Bandwidth.builder().capacity(limit.requests()).refillGreedy(limit.requests(), limit.per()).build());
        }
        return builder.build();
    }

    /** {@code RateLimit-Policy} value: {@code 5;w=60, 100;w=900}. */
    public String policyHeader() {
        return limits.stream().map(l -> l.requests() + ";w=" + l.per().toSeconds()).collect(Collectors.joining(", "));
    }

    public Duration longestWindow() {
        return limits.stream().map(Limit::per).max(Duration::compareTo).orElseThrow();
    }
}
