package app.backbone.payment.catalogue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.payment.config.PaymentConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Keeps catalogue answers in memory for a short while so repeated reads stay off Stripe. A {@code catalogue_changed}
 * notification empties it. While the notification channel is not listening the cache is bypassed, since it could not
 * learn of a change.
 */
@ApplicationScoped
public class CatalogueCache {

    private record Entry(Object value, long expiresAt) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final long ttlNanos;
    private final int maxEntries;
    private final Counter hits;
    private final Counter misses;
    private volatile boolean listening;

    public CatalogueCache(PaymentConfig config, MeterRegistry registry) {
        this.ttlNanos = config.catalogue().cacheTtl().toNanos();
        this.maxEntries = config.catalogue().cacheMaxEntries();
        this.hits = Counter.builder("catalogue.cache.hits").register(registry);
        this.misses = Counter.builder("catalogue.cache.misses").register(registry);
    }

    /** The cached answer for {@code key}, or the loader's, stored unless the cache was emptied meanwhile. */
    @SuppressWarnings("unchecked")
    public <T> Uni<T> get(String key, Supplier<Uni<T>> loader) {
        if (!listening || ttlNanos <= 0) {
            return loader.get();
        }
        Entry entry = entries.get(key);
        if (entry != null && entry.expiresAt() - System.nanoTime() > 0) {
            hits.increment();
            return Uni.createFrom().item((T) entry.value());
        }
        misses.increment();
        long seen = generation.get();
        return loader.get().invoke(value -> {
            if (value != null && generation.get() == seen && listening) {
                if (entries.size() >= maxEntries) {
                    entries.clear();
                }
                entries.put(key, new Entry(value, System.nanoTime() + ttlNanos));
            }
        });
    }

    /** Forgets every answer: the catalogue changed (or may have, unseen). */
    public void invalidate(String why) {
        generation.incrementAndGet();
        entries.clear();
        Log.debugf("Catalogue cache emptied: %s", why);
    }

    public void listening(boolean listening) {
        this.listening = listening;
        invalidate(listening ? "listening again" : "stopped listening");
    }

    public boolean isListening() {
        return listening;
    }
}
