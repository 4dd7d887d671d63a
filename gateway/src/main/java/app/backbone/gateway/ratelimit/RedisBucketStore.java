package app.backbone.gateway.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;

/**
 * Buckets in Redis (Bucket4j's compare-and-swap over Lettuce), so every gateway replica draws from the same bucket.
 * Keys expire once their bucket would be full again.
 */
public class RedisBucketStore implements BucketStore {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final AsyncProxyManager<byte[]> buckets;
    private final String keyPrefix;
    private final Map<String, CompletableFuture<BucketConfiguration>> configurations = new ConcurrentHashMap<>();

    /** Connects at once (blocking, at most 2 s): build it at start-up or on a worker, never on an event loop. */
    public RedisBucketStore(String redisUrl, String keyPrefix) {
        RedisURI uri = RedisURI.create(redisUrl);
        uri.setTimeout(COMMAND_TIMEOUT);
        this.client = RedisClient.create(uri);
        // While the connection is down, fail at once (the limiter falls back to memory) instead of queueing commands.
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).build()).build());
        try {
            this.connection = client.connect(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
        this.buckets = Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .requestTimeout(COMMAND_TIMEOUT)
                .build()
                .asAsync();
        this.keyPrefix = keyPrefix;
    }

    @Override
    public CompletionStage<VerboseResult<ConsumptionProbe>> takeOne(String key, RateLimitPolicy policy) {
        CompletableFuture<BucketConfiguration> configuration = configurations.computeIfAbsent(policy.name(),
                name -> CompletableFuture.completedFuture(policy.bucketConfiguration()));
        byte[] redisKey = (keyPrefix + key).getBytes(StandardCharsets.UTF_8);
        return buckets.builder().build(redisKey, () -> configuration).asVerbose().tryConsumeAndReturnRemaining(1);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
