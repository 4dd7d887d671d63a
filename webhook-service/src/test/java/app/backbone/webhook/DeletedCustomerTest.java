package app.backbone.webhook;

import static app.backbone.webhook.Deliveries.newEventId;
import static app.backbone.webhook.Deliveries.postStripe;
import static app.backbone.webhook.Deliveries.stripeEvent;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import app.backbone.webhook.events.WebhookRetention;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Deletion is final in Stripe, and the record of it must outlive the webhook ledger, which retention prunes: a late
 * customer.updated naming a deleted customer maps nothing, however long after the deletion it comes.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class DeletedCustomerTest {

    @Inject
    WebhookRetention retention;

    @BeforeEach
    @AfterEach
    void clean() {
        Deliveries.cleanDatabase();
    }

    private static Map<String, Object> customer(String id, String clerkUserId) {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("id", id);
        customer.put("object", "customer");
        customer.put("metadata", Map.of("clerk_user_id", clerkUserId));
        return customer;
    }

    @Test
    void customerDeletedIsRecordedWithItsUserAndTheMappingGoes() {
        long now = Instant.now().getEpochSecond();
        postStripe(stripeEvent(newEventId(), "customer.created", now, customer("cus_R1", "user_r1")))
                .then().statusCode(200);
        postStripe(stripeEvent(newEventId(), "customer.deleted", now + 10, customer("cus_R1", "user_r1")))
                .then().statusCode(200).body("received", equalTo(true));

        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping"));
        assertEquals(List.of(Map.of("stripe_customer_id", "cus_R1", "clerk_user_id", "user_r1", "at", now + 10)),
                Sql.rows("SELECT stripe_customer_id, clerk_user_id, extract(epoch FROM deleted_at)::bigint AS at"
                        + " FROM stripe_deleted_customers"));
    }

    @Test
    void lateUpdateOfADeletedCustomerMapsNothingAfterTheLedgerIsPruned() {
        long now = Instant.now().getEpochSecond();
        postStripe(stripeEvent(newEventId(), "customer.created", now, customer("cus_P1", "user_p1")))
                .then().statusCode(200);
        postStripe(stripeEvent(newEventId(), "customer.deleted", now + 10, customer("cus_P1", "user_p1")))
                .then().statusCode(200);
        // Retention forgets both events, as it does 90 days later.
        Sql.update("UPDATE webhook_events SET received_at = now() - interval '91 days',"
                + " processed_at = now() - interval '91 days'");
        assertEquals(2, retention.prune().await().atMost(Duration.ofSeconds(10)));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));

        String lateId = newEventId();
        postStripe(stripeEvent(lateId, "customer.updated", now + 5, customer("cus_P1", "user_p1")))
                .then().statusCode(200).body("received", equalTo(true));

        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping"));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events WHERE event_id = ? AND processed_at IS NOT NULL",
                lateId));
        assertEquals(1, Sql.count("SELECT count(*) FROM stripe_deleted_customers WHERE stripe_customer_id = 'cus_P1'"));
    }

    @Test
    void anotherCustomerOfTheSameUserIsStillMapped() {
        long now = Instant.now().getEpochSecond();
        postStripe(stripeEvent(newEventId(), "customer.deleted", now, customer("cus_O1", "user_o1")))
                .then().statusCode(200);
        postStripe(stripeEvent(newEventId(), "customer.created", now + 5, customer("cus_O2", "user_o1")))
                .then().statusCode(200);

        assertEquals(List.of(Map.of("clerk_user_id", "user_o1", "stripe_customer_id", "cus_O2")),
                Sql.rows("SELECT clerk_user_id, stripe_customer_id FROM stripe_customer_mapping"));
    }

    @Test
    void deletionAndUpdateDeliveredAtOnceLeaveNoMapping() throws Exception {
        for (int round = 0; round < 10; round++) {
            String id = "cus_C" + round;
            long now = Instant.now().getEpochSecond();
            String deleted = stripeEvent(newEventId(), "customer.deleted", now + 10, customer(id, "user_c" + round));
            String updated = stripeEvent(newEventId(), "customer.updated", now + 5, customer(id, "user_c" + round));
            CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> postStripe(deleted));
            CompletableFuture<Response> second = CompletableFuture.supplyAsync(() -> postStripe(updated));
            assertEquals(200, first.get().statusCode());
            assertEquals(200, second.get().statusCode());
        }
        // Whichever came first, the update either saw the deletion or its mapping was removed by it.
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping"));
        assertEquals(10, Sql.count("SELECT count(*) FROM stripe_deleted_customers"));
    }
}
