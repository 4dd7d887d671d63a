package app.backbone.gateway.ratelimit;

import java.util.concurrent.CompletionStage;

import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.VerboseResult;

/** Where the token buckets live: this JVM, or Redis shared by every gateway replica. */
public interface BucketStore extends AutoCloseable {

    /** Takes one token from the bucket under this key, creating the bucket from the policy when it does not exist. */
    CompletionStage<VerboseResult<ConsumptionProbe>> takeOne(String key, RateLimitPolicy policy);

    @Override
    void close();
}
