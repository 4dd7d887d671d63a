package app.backbone.webhook;

import static app.backbone.webhook.Deliveries.postStripe;
import static app.backbone.webhook.Deliveries.stripeEvent;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import app.backbone.testing.ExpressBackends;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The README's "From the subscriptions backend": every Stripe event the old backend processed (its
 * {@code stripe_webhook_events}), before or after the adoption, is a duplicate here, and applies nothing.
 */
@QuarkusTest
@TestProfile(ExpressBackends.SubscriptionsBackend.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class SubscriptionsBackendAdoptionTest {

    static String customerCreated(String eventId, String customerId, String clerkUserId) {
        return stripeEvent(eventId, "customer.created", Map.of("id", customerId, "object", "customer",
                "email", clerkUserId + "@example.com", "metadata", Map.of("clerk_user_id", clerkUserId)));
    }

    @Test
    void eventTheOldBackendProcessedIsADuplicateAndAppliesNothing() {
        postStripe(customerCreated("evt_old_processed_1", "cus_replayed", "user_replayed"))
                .then().statusCode(200)
                .body("received", equalTo(true))
                .body("duplicate", equalTo(true));
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping WHERE clerk_user_id = 'user_replayed'"));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events WHERE event_id = 'evt_old_processed_1'"));
    }

    @Test
    void eventTheOldBackendRecordsAfterTheAdoptionIsADuplicateToo() {
        // The old backend, still serving during the switch, processes an event and records it its own way.
        Sql.update("INSERT INTO stripe_webhook_events (stripe_event_id, event_type, processed_at) VALUES (?, ?, now())",
                "evt_old_after_switch", "customer.created");

        postStripe(customerCreated("evt_old_after_switch", "cus_late", "user_late"))
                .then().statusCode(200)
                .body("duplicate", equalTo(true));
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping WHERE clerk_user_id = 'user_late'"));
    }

    @Test
    void newEventIsAppliedOnceToTheAdoptedMapping() {
        postStripe(customerCreated("evt_new_after_switch", "cus_fresh", "user_fresh"))
                .then().statusCode(200)
                .body("received", equalTo(true))
                .body("duplicate", equalTo(null));
        postStripe(customerCreated("evt_new_after_switch", "cus_fresh", "user_fresh"))
                .then().statusCode(200)
                .body("duplicate", equalTo(true));
        assertEquals(1, Sql.count("""
                SELECT count(*) FROM stripe_customer_mapping
                 WHERE clerk_user_id = 'user_fresh' AND stripe_customer_id = 'cus_fresh'"""));
        assertEquals(1, Sql.count("SELECT count(*) FROM stripe_customer_mapping WHERE stripe_customer_id = 'cus_old_1'"));
    }
}
