package app.backbone.gateway.ratelimit;

import java.util.List;

import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.VerboseResult;

/**
 * The answer for one request: allowed or not, and the numbers for the {@code RateLimit} header, taken from whichever
 * of the policy's limits is closest to running out.
 */
public record RateLimitDecision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /**
     * The answer for a request counted in several buckets: refused when any refuses (waiting for the longest), else
     * the numbers of the bucket with the fewest requests left.
     */
    static RateLimitDecision strictest(List<RateLimitDecision> decisions) {
        RateLimitDecision strictest = null;
        for (RateLimitDecision d : decisions) {
            if (strictest == null || rank(d) > rank(strictest)) {
                strictest = d;
            }
        }
        return strictest;
    }

    private static double rank(RateLimitDecision d) {
        return d.allowed() ? -d.remaining() : Double.MAX_VALUE / 2 + d.retryAfterSeconds();
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
