package app.backbone.payment.customers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;

/** The cache's own rules, without a service: its bound, its TTL, and what it refuses to keep. */
class CustomerCacheTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger loads = new AtomicInteger();

    @Test
    void answerIsKeptUntilItsTtlEnds() throws Exception {
        CustomerCache cache = listening(new CustomerCache(Duration.ofMillis(300), 10, new SimpleMeterRegistry()));

        assertEquals("cus_1", get(cache, "cus_1").path("id").asText());
        assertEquals("cus_1", get(cache, "cus_1").path("id").asText());
        assertEquals(1, loads.get());

        Thread.sleep(400);
        get(cache, "cus_1");
        assertEquals(2, loads.get());
    }

    @Test
    void cacheNeverHoldsMoreThanItsBound() {
        CustomerCache cache = listening(new CustomerCache(Duration.ofMinutes(5), 3, new SimpleMeterRegistry()));

        for (int i = 0; i < 20; i++) {
            get(cache, "cus_" + i);
            assertTrue(cache.size() <= 3, cache.size() + " entries");
        }
        assertEquals(3, cache.size());
        assertEquals(20, loads.get());
    }

    @Test
    void objectStripeSaysIsDeletedIsNotKept() {
        CustomerCache cache = listening(new CustomerCache(Duration.ofMinutes(5), 10, new SimpleMeterRegistry()));
        ObjectNode deleted = JSON.createObjectNode().put("id", "cus_del").put("deleted", true);

        cache.put("cus_del", deleted, cache.generation());
        for (int i = 0; i < 2; i++) {
            JsonNode answer = cache.get("cus_del", () -> Uni.createFrom().item(() -> {
                loads.incrementAndGet();
                return deleted;
            })).await().indefinitely();
            assertTrue(answer.path("deleted").asBoolean());
        }

        assertEquals(2, loads.get());
        assertEquals(0, cache.size());
    }

    @Test
    void answerTakenBeforeAnInvalidationIsNotKept() {
        CustomerCache cache = listening(new CustomerCache(Duration.ofMinutes(5), 10, new SimpleMeterRegistry()));
        long seen = cache.generation();

        cache.invalidate("cus_old");
        cache.put("cus_old", customer("cus_old"), seen);

        assertEquals(0, cache.size());
    }

    @Test
    void nothingIsKeptWhileNotListeningOrWithATtlOfZero() {
        CustomerCache deaf = new CustomerCache(Duration.ofMinutes(5), 10, new SimpleMeterRegistry());
        get(deaf, "cus_1");
        get(deaf, "cus_1");
        CustomerCache off = listening(new CustomerCache(Duration.ZERO, 10, new SimpleMeterRegistry()));
        get(off, "cus_1");
        get(off, "cus_1");

        assertEquals(4, loads.get());
        assertEquals(0, deaf.size() + off.size());
    }

    @Test
    void everyMappingIsDroppedWhenAnyCustomerChangesAndNoMappingIsNeverKept() {
        CustomerCache cache = listening(new CustomerCache(Duration.ofMinutes(5), 10, new SimpleMeterRegistry()));

        assertEquals("cus_a", customerIdOf(cache, "user_a", "cus_a"));
        assertEquals("cus_a", customerIdOf(cache, "user_a", "cus_a"));
        assertEquals(1, loads.get());
        // A user moved to a new customer is announced under the new customer's id, not the one cached for it.
        cache.invalidate("cus_new");
        assertEquals("cus_new", customerIdOf(cache, "user_a", "cus_new"));
        assertEquals(2, loads.get());

        customerIdOf(cache, "user_none", null);
        customerIdOf(cache, "user_none", null);
        assertEquals(4, loads.get());
        assertEquals(1, cache.size());
    }

    private String customerIdOf(CustomerCache cache, String user, String mapped) {
        return cache.customerIdOf(user, () -> Uni.createFrom().item(() -> {
            loads.incrementAndGet();
            return mapped;
        })).await().indefinitely();
    }

    private JsonNode get(CustomerCache cache, String id) {
        return cache.get(id, () -> Uni.createFrom().item(() -> {
            loads.incrementAndGet();
            return customer(id);
        })).await().indefinitely();
    }

    private static JsonNode customer(String id) {
        return JSON.createObjectNode().put("id", id).put("object", "customer");
    }

    private static CustomerCache listening(CustomerCache cache) {
        cache.listening(true);
        return cache;
    }
}
