package app.backbone.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.local.LocalBucketBuilder;

/** Buckets in this JVM's memory; a bucket idle for the longest window is full again, so it is dropped. */
public class InMemoryBucketStore implements BucketStore {

    private final Cache<String, Bucket> buckets;

    public InMemoryBucketStore(Duration idleExpiry, long maxBuckets) {
        this.buckets = Caffeine.newBuilder().expireAfterAccess(idleExpiry).maximumSize(maxBuckets).build();
    }

    @Override
    public CompletionStage<VerboseResult<ConsumptionProbe>> takeOne(String key, RateLimitPolicy policy) {
        Bucket bucket = buckets.get(key, k -> newBucket(policy));
        return CompletableFuture.completedFuture(bucket.asVerbose().tryConsumeAndReturnRemaining(1));
    }

    private static Bucket newBucket(RateLimitPolicy policy) {
        LocalBucketBuilder builder = Bucket.builder();
        for (Bandwidth bandwidth : policy.bucketConfiguration().getBandwidths()) {
            builder.addLimit(bandwidth);
        }
        return builder.build();
    }

    @Override
    public void close() {
        buckets.invalidateAll();
    }
}
