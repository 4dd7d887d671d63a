package app.backbone.payment.customers;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import app.backbone.payment.config.PaymentConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * The Stripe customer objects this replica has seen (created or retrieved), by customer id, so a mapped user's repeat
 * {@code POST /stripe/customer} does not ask Stripe again. A {@code customer_changed} notification (webhook-service
 * applied {@code customer.updated} or {@code customer.deleted}, on any replica) removes the customer; the TTL bounds
 * what a change nobody notified can cost. While the channel is not listening the cache is bypassed, since it could
 * not learn of a change. Whether a user's customer is still theirs and not deleted is read from the database on every
 * call: the cache only saves the Stripe retrieve.
 */
@ApplicationScoped
public class CustomerCache {

    private record Entry(JsonNode customer, long expiresAt) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Moves on every invalidation, so an answer loaded before a change is not stored after it. */
    private final AtomicLong generation = new AtomicLong();
    private final long ttlNanos;
    private final int maxEntries;
    private final Counter hits;
    private final Counter misses;
    private volatile boolean listening;

    @Inject
    public CustomerCache(PaymentConfig config, MeterRegistry registry) {
        this(config.customers().cacheTtl(), config.customers().cacheMaxEntries(), registry);
    }

    CustomerCache(Duration ttl, int maxEntries, MeterRegistry registry) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.hits = Counter.builder("customer.cache.hits").register(registry);
        this.misses = Counter.builder("customer.cache.misses").register(registry);
    }

    /** The cached customer, or the loader's, which is kept unless this customer (or all) was invalidated meanwhile. */
    public Uni<JsonNode> get(String customerId, Supplier<Uni<JsonNode>> loader) {
        if (!enabled()) {
            return loader.get();
        }
        Entry entry = entries.get(customerId);
        if (entry != null && entry.expiresAt() - System.nanoTime() > 0) {
            hits.increment();
            return Uni.createFrom().item(entry.customer());
        }
        misses.increment();
        long seen = generation.get();
        return loader.get().invoke(customer -> put(customerId, customer, seen));
    }

    /** The current generation: take it before asking Stripe, and hand it to {@link #put}. */
    public long generation() {
        return generation.get();
    }

    /**
     * Keeps what Stripe answered for {@code customerId}, unless a change was notified since {@code seen} (the answer
     * may predate it) or the object says the customer is deleted.
     */
    public void put(String customerId, JsonNode customer, long seen) {
        if (!enabled() || customer == null || customer.path("deleted").asBoolean(false)
                || generation.get() != seen) {
            return;
        }
        if (entries.size() >= maxEntries && !entries.containsKey(customerId)) {
            makeRoom();
        }
        entries.put(customerId, new Entry(customer, System.nanoTime() + ttlNanos));
        if (generation.get() != seen) {
            // A change was notified while this was stored: the answer may be older than it.
            entries.remove(customerId);
        }
    }

    /** Forgets one customer: it changed or is gone. */
    public void invalidate(String customerId) {
        generation.incrementAndGet();
        entries.remove(customerId);
        Log.debugf("Customer %s dropped from the cache", customerId);
    }

    /** Forgets every customer (the channel was lost or came back: changes may have gone unseen). */
    public void invalidateAll(String why) {
        generation.incrementAndGet();
        entries.clear();
        Log.debugf("Customer cache emptied: %s", why);
    }

    public void listening(boolean listening) {
        this.listening = listening;
        invalidateAll(listening ? "listening again" : "stopped listening");
    }

    public boolean isListening() {
        return listening;
    }

    int size() {
        return entries.size();
    }

    private boolean enabled() {
        return listening && ttlNanos > 0 && maxEntries > 0;
    }

    /** Drops the expired entries, or if none is, one entry: the map's order is its keys' hashes, so a random one. */
    private void makeRoom() {
        long now = System.nanoTime();
        if (entries.values().removeIf(entry -> entry.expiresAt() - now <= 0)) {
            return;
        }
        Iterator<String> any = entries.keySet().iterator();
        if (any.hasNext()) {
            entries.remove(any.next());
        }
    }
}
