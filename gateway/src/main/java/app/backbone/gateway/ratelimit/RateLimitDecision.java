package app.backbone.gateway.ratelimit;

import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.VerboseResult;

/**
 * The answer for one request: allowed or not, and the numbers for the {@code RateLimit} header, taken from whichever
 * of the policy's limits is closest to running out.
 */
public record RateLimitDecision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Used when the bucket store cannot be reached: the request passes rather than the API going down with Redis. */
    public static RateLimitDecision unlimited(RateLimitPolicy policy) {
        long limit = policy.limits().get(0).requests();
        return new RateLimitDecision(true, limit, limit, 0, 0);
    }

    static RateLimitDecision from(RateLimitPolicy policy, VerboseResult<ConsumptionProbe> result) {
        ConsumptionProbe probe = result.getValue();
        long[] available = result.getDiagnostics().getAvailableTokensPerEachBandwidth();
        int binding = 0;
        for (int i = 1; i < available.length && i < policy.limits().size(); i++) {
            if (available[i] < available[binding]) {
                binding = i;
            }
        }
        RateLimitPolicy.Limit limit = policy.limits().get(binding);
        long left = Math.max(0, available[binding]);
        long missing = limit.requests() - left;
        long resetNanos = missing <= 0 ? 0 : (long) ((double) missing / limit.requests() * limit.per().toNanos());
        long retryAfter = probe.isConsumed() ? 0 : Math.max(1, ceilSeconds(probe.getNanosToWaitForRefill()));
        return new RateLimitDecision(probe.isConsumed(), limit.requests(), Math.max(0, probe.getRemainingTokens()),
                ceilSeconds(resetNanos), retryAfter);
    }

    private static long ceilSeconds(long nanos) {
        return (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
    }
}
