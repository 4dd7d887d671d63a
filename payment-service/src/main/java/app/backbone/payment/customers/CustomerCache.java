package app.backbone.payment.customers;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ObjLongConsumer;
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
 * What this replica has seen of its users' Stripe customers, so a mapped user's repeat {@code POST /stripe/customer}
 * is answered without a database read or a Stripe call: the customer objects (created or retrieved) by customer id,
 * and each user's mapped customer id by Clerk user id. A {@code customer_changed} notification (webhook-service
 * applied a {@code customer.*} event, on any replica; sent on the event's transaction, so a deletion or a mapping that
 * moved is announced once committed) drops that customer and every user's mapping: the notification names the
 * customer, and a user moved to a new customer is announced under the new one's id. The TTL bounds what a change
 * nobody notified can cost. While the channel is not listening the cache is bypassed, since it could not learn of a
 * change, and a user without a mapping is never remembered (the next call looks again).
 */
@ApplicationScoped
public class CustomerCache {

    private record Entry<T>(T value, long expiresAt) {
    }

    private final Map<String, Entry<JsonNode>> customers = new ConcurrentHashMap<>();
    private final Map<String, Entry<String>> customerIds = new ConcurrentHashMap<>();
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
        return lookup(customers, customerId, loader, (customer, seen) -> put(customerId, customer, seen));
    }

    /**
     * The user's mapped customer id as last read or made here, or the loader's (the database's), kept unless a change
     * was notified meanwhile; a user with no mapping (null) is not kept.
     */
    public Uni<String> customerIdOf(String clerkUserId, Supplier<Uni<String>> loader) {
        return lookup(customerIds, clerkUserId, loader, (id, seen) -> putCustomerId(clerkUserId, id, seen));
    }

    /** The current generation: take it before asking Stripe or the database, and hand it to the {@code put}. */
    public long generation() {
        return generation.get();
    }

    /**
     * Keeps what Stripe answered for {@code customerId}, unless a change was notified since {@code seen} (the answer
     * may predate it) or the object says the customer is deleted.
     */
    public void put(String customerId, JsonNode customer, long seen) {
        if (customer != null && !customer.path("deleted").asBoolean(false)) {
            store(customers, customerId, customer, seen);
        }
    }

    /** Keeps the user's mapping (just read or made), unless a change was notified since {@code seen}. */
    public void putCustomerId(String clerkUserId, String customerId, long seen) {
        store(customerIds, clerkUserId, customerId, seen);
    }

    /** Forgets one customer: it changed or is gone. */
    public void invalidate(String customerId) {
        generation.incrementAndGet();
        customers.remove(customerId);
        customerIds.clear();
        Log.debugf("Customer %s and every mapping dropped from the cache", customerId);
    }

    /** Forgets every customer (the channel was lost or came back: changes may have gone unseen). */
    public void invalidateAll(String why) {
        generation.incrementAndGet();
        customers.clear();
        customerIds.clear();
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
        return customers.size() + customerIds.size();
    }

    private boolean enabled() {
        return listening && ttlNanos > 0 && maxEntries > 0;
    }

    private <T> Uni<T> lookup(Map<String, Entry<T>> map, String key, Supplier<Uni<T>> loader, ObjLongConsumer<T> keep) {
        if (!enabled()) {
            return loader.get();
        }
        Entry<T> entry = map.get(key);
        if (entry != null && entry.expiresAt() - System.nanoTime() > 0) {
            hits.increment();
            return Uni.createFrom().item(entry.value());
        }
        misses.increment();
        long seen = generation.get();
        return loader.get().invoke(value -> keep.accept(value, seen));
    }

    private <T> void store(Map<String, Entry<T>> map, String key, T value, long seen) {
        if (!enabled() || value == null || generation.get() != seen) {
            return;
        }
        if (map.size() >= maxEntries && !map.containsKey(key)) {
            makeRoom(map);
        }
        map.put(key, new Entry<>(value, System.nanoTime() + ttlNanos));
        if (generation.get() != seen) {
            // A change was notified while this was stored: the value may be older than it.
            map.remove(key);
        }
    }

    /** Drops the expired entries, or if none is, one entry: the map's order is its keys' hashes, so a random one. */
    private static <T> void makeRoom(Map<String, Entry<T>> map) {
        long now = System.nanoTime();
        if (map.values().removeIf(entry -> entry.expiresAt() - now <= 0)) {
            return;
        }
        Iterator<String> any = map.keySet().iterator();
        if (any.hasNext()) {
            map.remove(any.next());
        }
    }
}
