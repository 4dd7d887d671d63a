package app.backbone.webhook;

import static app.backbone.webhook.Deliveries.newEventId;
import static app.backbone.webhook.Deliveries.postStripe;
import static app.backbone.webhook.Deliveries.stripeEvent;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import app.backbone.testing.Concurrently;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class StripeCustomerSubscriptionCatalogueTest {

    @BeforeEach
    void clean() {
        Deliveries.cleanDatabase();
    }

    private static Map<String, Object> customer(String id, String clerkUserId) {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("id", id);
        customer.put("object", "customer");
        customer.put("email", "user@example.com");
        customer.put("metadata", clerkUserId == null ? Map.of() : Map.of("clerk_user_id", clerkUserId));
        return customer;
    }

    private static Map<String, Object> subscription(String id, String customer, String status, String price,
            long periodEnd) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", "si_1");
        item.put("object", "subscription_item");
        item.put("price", Map.of("id", price, "object", "price"));
        item.put("current_period_end", periodEnd);
        Map<String, Object> sub = new LinkedHashMap<>();
        sub.put("id", id);
        sub.put("object", "subscription");
        sub.put("customer", customer);
        sub.put("status", status);
        sub.put("items", Map.of("object", "list", "data", List.of(item)));
        return sub;
    }

    private static Map<String, Object> subscriptionRow(String id) {
        List<Map<String, Object>> rows = Sql.rows("SELECT stripe_customer_id, status, price_id, current_period_end, "
                + "last_event_at FROM subscriptions WHERE id = ?", id);
        assertEquals(1, rows.size());
        return rows.get(0);
    }

    private static OffsetDateTime utc(long epochSeconds) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
    }

    private static OffsetDateTime asUtc(Object timestamp) {
        return OffsetDateTime.ofInstant(((java.sql.Timestamp) timestamp).toInstant(), ZoneOffset.UTC);
    }

    @Test
    void createdCustomerWithAClerkUserIsMapped() {
        postStripe(stripeEvent(newEventId(), "customer.created", customer("cus_A", "user_1")))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals(List.of(Map.of("clerk_user_id", "user_1", "stripe_customer_id", "cus_A")),
                Sql.rows("SELECT clerk_user_id, stripe_customer_id FROM stripe_customer_mapping"));
    }

    @Test
    void updatedCustomerMovesTheMapping() {
        postStripe(stripeEvent(newEventId(), "customer.created", customer("cus_A", "user_1")))
                .then().statusCode(200);
        postStripe(stripeEvent(newEventId(), "customer.created", customer("cus_B", "user_2")))
                .then().statusCode(200);
        // cus_B's metadata now names user_1: user_1 points at cus_B, and user_2 no longer claims cus_B.
        postStripe(stripeEvent(newEventId(), "customer.updated", customer("cus_B", "user_1")))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals(List.of(Map.of("clerk_user_id", "user_1", "stripe_customer_id", "cus_B")),
                Sql.rows("SELECT clerk_user_id, stripe_customer_id FROM stripe_customer_mapping"));
    }

    private static Map<String, Object> customer(String id, String clerkUserId, String email) {
        Map<String, Object> customer = customer(id, clerkUserId);
        customer.put("email", email);
        return customer;
    }

    private static Map<String, Object> mapping(String customerId) {
        List<Map<String, Object>> rows = Sql.rows(
                "SELECT clerk_user_id, email FROM stripe_customer_mapping WHERE stripe_customer_id = ?", customerId);
        assertEquals(1, rows.size());
        return rows.get(0);
    }

    private static boolean processed(String eventId) {
        return Sql.count("SELECT count(*) FROM webhook_events WHERE event_id = ? AND processed_at IS NOT NULL",
                eventId) == 1;
    }

    @Test
    void lateCustomerUpdateDoesNotOverwriteANewerEmail() {
        long now = Instant.now().getEpochSecond();
        postStripe(stripeEvent(newEventId(), "customer.created", now, customer("cus_L", "user_l", "first@example.com")))
                .then().statusCode(200);
        String newer = newEventId();
        String older = newEventId();

        postStripe(stripeEvent(newer, "customer.updated", now + 20, customer("cus_L", "user_l", "newest@example.com")))
                .then().statusCode(200).body("received", equalTo(true));
        // The older update (the e-mail in between) arrives last.
        postStripe(stripeEvent(older, "customer.updated", now + 10, customer("cus_L", "user_l", "between@example.com")))
                .then().statusCode(200).body("received", equalTo(true)).body("duplicate", nullValue());

        assertEquals(Map.of("clerk_user_id", "user_l", "email", "newest@example.com"), mapping("cus_L"));
        assertTrue(processed(newer) && processed(older), "both are applied exactly once: recorded as processed");
        // Its replay is a duplicate, as for any event.
        postStripe(stripeEvent(older, "customer.updated", now + 10, customer("cus_L", "user_l", "between@example.com")))
                .then().statusCode(200).body("duplicate", equalTo(true));
        assertEquals("newest@example.com", mapping("cus_L").get("email"));
    }

    @Test
    void lateCustomerCreatedDoesNotTakeBackTheUserANewerUpdateNamed() {
        long now = Instant.now().getEpochSecond();
        postStripe(stripeEvent(newEventId(), "customer.updated", now + 5, customer("cus_M", "user_m2", "m2@example.com")))
                .then().statusCode(200);

        postStripe(stripeEvent(newEventId(), "customer.created", now, customer("cus_M", "user_m1", "m1@example.com")))
                .then().statusCode(200).body("received", equalTo(true));

        assertEquals(List.of(Map.of("clerk_user_id", "user_m2", "email", "m2@example.com")),
                Sql.rows("SELECT clerk_user_id, email FROM stripe_customer_mapping"));
    }

    @Test
    void updateInTheSecondOfTheCreationStillApplies() {
        long now = Instant.now().getEpochSecond();
        postStripe(stripeEvent(newEventId(), "customer.created", now, customer("cus_S", "user_s", "a@example.com")))
                .then().statusCode(200);

        postStripe(stripeEvent(newEventId(), "customer.updated", now, customer("cus_S", "user_s", "b@example.com")))
                .then().statusCode(200);

        assertEquals("b@example.com", mapping("cus_S").get("email"));
    }

    @Test
    void newerAndOlderUpdatesDeliveredAtOnceLeaveTheNewerEmail() throws Exception {
        for (int round = 0; round < 10; round++) {
            String id = "cus_R" + round;
            long now = Instant.now().getEpochSecond();
            postStripe(stripeEvent(newEventId(), "customer.created", now, customer(id, "user_r" + round,
                    "first@example.com"))).then().statusCode(200);
            String newer = stripeEvent(newEventId(), "customer.updated", now + 20, customer(id, "user_r" + round,
                    "newest@example.com"));
            String older = stripeEvent(newEventId(), "customer.updated", now + 10, customer(id, "user_r" + round,
                    "between@example.com"));

            List<Integer> statuses = Concurrently.all(List.<Callable<Integer>>of(
                    () -> postStripe(older).statusCode(), () -> postStripe(newer).statusCode()));

            assertEquals(List.of(200, 200), statuses);
            assertEquals("newest@example.com", mapping(id).get("email"), "round " + round);
        }
        assertEquals(30, Sql.count("SELECT count(*) FROM webhook_events WHERE processed_at IS NOT NULL"));
    }

    @Test
    void customerWithoutAClerkUserIsNotMapped() {
        String id = newEventId();
        postStripe(stripeEvent(id, "customer.created", customer("cus_C", null)))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping"));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events WHERE event_id = ?", id));
    }

    @Test
    void deletedCustomerLosesItsMapping() {
        postStripe(stripeEvent(newEventId(), "customer.created", customer("cus_D", "user_4"))).then().statusCode(200);
        postStripe(stripeEvent(newEventId(), "customer.created", customer("cus_E", "user_5"))).then().statusCode(200);
        postStripe(stripeEvent(newEventId(), "customer.deleted", customer("cus_D", "user_4")))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals(List.of(Map.of("clerk_user_id", "user_5", "stripe_customer_id", "cus_E")),
                Sql.rows("SELECT clerk_user_id, stripe_customer_id FROM stripe_customer_mapping"));
    }

    @Test
    void lateUpdateOfADeletedCustomerDoesNotMapItAgain() {
        long now = Instant.now().getEpochSecond();
        postStripe(stripeEvent(newEventId(), "customer.created", now, customer("cus_F", "user_6"))).then().statusCode(200);
        postStripe(stripeEvent(newEventId(), "customer.deleted", now + 10, customer("cus_F", "user_6")))
                .then().statusCode(200);
        postStripe(stripeEvent(newEventId(), "customer.updated", now + 5, customer("cus_F", "user_6")))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping"));
        assertEquals(3, Sql.count("SELECT count(*) FROM webhook_events WHERE processed_at IS NOT NULL"));
    }

    @Test
    void subscriptionEventsAreRecorded() {
        long now = Instant.now().getEpochSecond();
        long periodEnd = now + 30 * 86400;
        postStripe(stripeEvent(newEventId(), "customer.subscription.created", now,
                subscription("sub_1", "cus_S", "incomplete", "price_basic", periodEnd)))
                .then().statusCode(200).body("received", equalTo(true));
        postStripe(stripeEvent(newEventId(), "customer.subscription.updated", now + 2,
                subscription("sub_1", "cus_S", "active", "price_pro", periodEnd)))
                .then().statusCode(200).body("received", equalTo(true));

        Map<String, Object> row = subscriptionRow("sub_1");
        assertEquals("cus_S", row.get("stripe_customer_id"));
        assertEquals("active", row.get("status"));
        assertEquals("price_pro", row.get("price_id"));
        assertEquals(utc(periodEnd), asUtc(row.get("current_period_end")));
        assertEquals(utc(now + 2), asUtc(row.get("last_event_at")));
    }

    @Test
    void olderSubscriptionEventDoesNotRollTheStateBack() {
        long now = Instant.now().getEpochSecond();
        postStripe(stripeEvent(newEventId(), "customer.subscription.deleted", now,
                subscription("sub_2", "cus_S", "canceled", "price_basic", now)))
                .then().statusCode(200);
        // Delivered late: the update happened before the cancellation.
        postStripe(stripeEvent(newEventId(), "customer.subscription.updated", now - 60,
                subscription("sub_2", "cus_S", "active", "price_basic", now + 86400)))
                .then().statusCode(200).body("received", equalTo(true));

        Map<String, Object> row = subscriptionRow("sub_2");
        assertEquals("canceled", row.get("status"));
        assertEquals(utc(now), asUtc(row.get("last_event_at")));
        assertEquals(2, Sql.count("SELECT count(*) FROM webhook_events WHERE processed_at IS NOT NULL"));
    }

    @Test
    void invoiceEventsUpdateTheSubscriptionInOldAndNewApiShapes() {
        long now = Instant.now().getEpochSecond();
        long periodEnd = now + 86400;
        // Before API 2025-03-31: invoice.subscription and line.price.
        Map<String, Object> oldInvoice = new LinkedHashMap<>();
        oldInvoice.put("id", "in_1");
        oldInvoice.put("object", "invoice");
        oldInvoice.put("customer", "cus_I");
        oldInvoice.put("subscription", "sub_3");
        oldInvoice.put("lines", Map.of("data", List.of(Map.of("price", Map.of("id", "price_old"),
                "period", Map.of("start", now, "end", periodEnd)))));
        postStripe(stripeEvent(newEventId(), "invoice.payment_failed", now, oldInvoice))
                .then().statusCode(200).body("received", equalTo(true));
        Map<String, Object> row = subscriptionRow("sub_3");
        assertEquals("past_due", row.get("status"));
        assertEquals("price_old", row.get("price_id"));
        assertEquals("cus_I", row.get("stripe_customer_id"));

        // From API 2025-03-31: parent.subscription_details.subscription and line.pricing.price_details.price.
        Map<String, Object> newInvoice = new LinkedHashMap<>();
        newInvoice.put("id", "in_2");
        newInvoice.put("object", "invoice");
        newInvoice.put("customer", "cus_I");
        newInvoice.put("parent", Map.of("type", "subscription_details",
                "subscription_details", Map.of("subscription", "sub_3")));
        newInvoice.put("lines", Map.of("data", List.of(Map.of(
                "pricing", Map.of("price_details", Map.of("price", "price_new")),
                "period", Map.of("start", now, "end", periodEnd + 86400)))));
        postStripe(stripeEvent(newEventId(), "invoice.payment_succeeded", now + 10, newInvoice))
                .then().statusCode(200).body("received", equalTo(true));
        row = subscriptionRow("sub_3");
        assertEquals("active", row.get("status"));
        assertEquals("price_new", row.get("price_id"));
        assertEquals(utc(periodEnd + 86400), asUtc(row.get("current_period_end")));
    }

    @Test
    void invoicePaidAfterCancellationDoesNotReviveTheSubscription() {
        long now = Instant.now().getEpochSecond();
        postStripe(stripeEvent(newEventId(), "customer.subscription.deleted", now,
                subscription("sub_4", "cus_S", "canceled", "price_basic", now)))
                .then().statusCode(200);
        Map<String, Object> invoice = new LinkedHashMap<>();
        invoice.put("id", "in_final");
        invoice.put("object", "invoice");
        invoice.put("customer", "cus_S");
        invoice.put("subscription", "sub_4");
        postStripe(stripeEvent(newEventId(), "invoice.payment_succeeded", now + 30, invoice))
                .then().statusCode(200).body("received", equalTo(true));

        Map<String, Object> row = subscriptionRow("sub_4");
        assertEquals("canceled", row.get("status"));
        // The invoice changed nothing, so the row is as the cancellation left it.
        assertEquals(utc(now), asUtc(row.get("last_event_at")));
    }

    @Test
    void productAndPriceEventsNotifyTheCatalogueChannel() throws Exception {
        try (Connection listener = PostgresResource.connect(); Statement statement = listener.createStatement()) {
            statement.execute("LISTEN catalogue_changed");
            postStripe(stripeEvent(newEventId(), "product.updated",
                    Map.of("id", "prod_X", "object", "product", "name", "Pro")))
                    .then().statusCode(200).body("received", equalTo(true));
            postStripe(stripeEvent(newEventId(), "price.created",
                    Map.of("id", "price_Y", "object", "price", "unit_amount", 900)))
                    .then().statusCode(200).body("received", equalTo(true));

            PGConnection pg = listener.unwrap(PGConnection.class);
            List<String> received = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 5000;
            while (received.size() < 2 && System.currentTimeMillis() < deadline) {
                PGNotification[] notifications = pg.getNotifications(500);
                if (notifications != null) {
                    for (PGNotification n : notifications) {
                        assertEquals("catalogue_changed", n.getName());
                        received.add(n.getParameter());
                    }
                }
            }
            assertEquals(List.of("prod_X", "price_Y"), received);
        }
        assertEquals(2, Sql.count("SELECT count(*) FROM webhook_events WHERE processed_at IS NOT NULL"));
    }

    @Test
    void rolledBackCatalogueEventSendsNoNotification() throws Exception {
        try (Connection listener = PostgresResource.connect(); Statement statement = listener.createStatement()) {
            statement.execute("LISTEN catalogue_changed");
            Sql.update("CREATE FUNCTION webhook_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    + "BEGIN RAISE EXCEPTION 'refused'; END $$");
            Sql.update("CREATE TRIGGER webhook_test_refuse BEFORE UPDATE ON webhook_events FOR EACH ROW "
                    + "EXECUTE FUNCTION webhook_test_refuse()");
            try {
                postStripe(stripeEvent(newEventId(), "product.deleted", Map.of("id", "prod_Z", "object", "product")))
                        .then().statusCode(500).body("error.code", equalTo("INTERNAL_ERROR"));
            } finally {
                Sql.update("DROP TRIGGER webhook_test_refuse ON webhook_events");
                Sql.update("DROP FUNCTION webhook_test_refuse()");
            }
            PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(1000);
            assertTrue(notifications == null || notifications.length == 0);
        }
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }
}
