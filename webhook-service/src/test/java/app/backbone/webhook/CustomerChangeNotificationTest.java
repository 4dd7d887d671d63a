package app.backbone.webhook;

import static app.backbone.webhook.Deliveries.newEventId;
import static app.backbone.webhook.Deliveries.postStripe;
import static app.backbone.webhook.Deliveries.stripeEvent;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * payment-service caches the users' mappings and Stripe customer objects it has seen; webhook-service tells every
 * replica to forget a customer and the mappings ({@code NOTIFY customer_changed, '<customer id>'}) when it applies that
 * customer's {@code customer.updated}, {@code customer.deleted} or a {@code customer.created} that moves a mapping, on
 * the event's transaction, so only a committed change is announced.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class CustomerChangeNotificationTest {

    @BeforeEach
    @AfterEach
    void clean() {
        Deliveries.cleanDatabase();
    }

    @Test
    void customerUpdatedAndDeletedNotifyTheCustomerChannel() throws Exception {
        long now = Instant.now().getEpochSecond();
        try (Connection listener = listen()) {
            postStripe(stripeEvent(newEventId(), "customer.created", now, customer("cus_N1", "user_n1")))
                    .then().statusCode(200).body("received", equalTo(true));
            postStripe(stripeEvent(newEventId(), "customer.updated", now + 1, customer("cus_N1", "user_n1")))
                    .then().statusCode(200).body("received", equalTo(true));
            // A customer that names no Clerk user maps nothing, but its cached object is stale all the same.
            postStripe(stripeEvent(newEventId(), "customer.updated", now + 2, customer("cus_N2", null)))
                    .then().statusCode(200).body("received", equalTo(true));
            postStripe(stripeEvent(newEventId(), "customer.deleted", now + 3, customer("cus_N1", "user_n1")))
                    .then().statusCode(200).body("received", equalTo(true));

            assertEquals(List.of("cus_N1", "cus_N2", "cus_N1"), notifications(listener, 3));
        }
        assertEquals(1, Sql.count("SELECT count(*) FROM stripe_deleted_customers WHERE stripe_customer_id = 'cus_N1'"));
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping"));
        assertEquals(4, Sql.count("SELECT count(*) FROM webhook_events WHERE processed_at IS NOT NULL"));
    }

    @Test
    void customerCreatedIsAnnouncedOnlyWhenItMovesAMapping() throws Exception {
        long now = Instant.now().getEpochSecond();
        try (Connection listener = listen()) {
            postStripe(stripeEvent(newEventId(), "customer.created", now, customer("cus_M1", "user_m1")))
                    .then().statusCode(200).body("received", equalTo(true));
            assertEquals(List.of(), notifications(listener, 0));

            // The same user's new customer (made outside payment-service): the user's mapping moves to it.
            postStripe(stripeEvent(newEventId(), "customer.created", now + 1, customer("cus_M2", "user_m1")))
                    .then().statusCode(200).body("received", equalTo(true));
            assertEquals(List.of("cus_M2"), notifications(listener, 1));
        }
        assertEquals(List.of(Map.of("clerk_user_id", "user_m1", "stripe_customer_id", "cus_M2")),
                Sql.rows("SELECT clerk_user_id, stripe_customer_id FROM stripe_customer_mapping"));
    }

    @Test
    void duplicateDeliveryAnnouncesNothingAgain() throws Exception {
        String body = stripeEvent(newEventId(), "customer.updated", customer("cus_D1", "user_d1"));
        try (Connection listener = listen()) {
            postStripe(body).then().statusCode(200).body("received", equalTo(true));
            assertEquals(List.of("cus_D1"), notifications(listener, 1));

            postStripe(body).then().statusCode(200).body("duplicate", equalTo(true));
            assertEquals(List.of(), notifications(listener, 0));
        }
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events"));
        assertEquals(1, Sql.count("SELECT count(*) FROM stripe_customer_mapping WHERE clerk_user_id = 'user_d1'"));
    }

    @Test
    void rolledBackCustomerEventAnnouncesNothing() throws Exception {
        try (Connection listener = listen()) {
            Sql.update("CREATE FUNCTION webhook_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    + "BEGIN RAISE EXCEPTION 'refused'; END $$");
            Sql.update("CREATE TRIGGER webhook_test_refuse BEFORE UPDATE ON webhook_events FOR EACH ROW "
                    + "EXECUTE FUNCTION webhook_test_refuse()");
            try {
                postStripe(stripeEvent(newEventId(), "customer.deleted", customer("cus_R1", "user_r1")))
                        .then().statusCode(500).body("error.code", equalTo("INTERNAL_ERROR"));
            } finally {
                Sql.update("DROP TRIGGER webhook_test_refuse ON webhook_events");
                Sql.update("DROP FUNCTION webhook_test_refuse()");
            }
            assertEquals(List.of(), notifications(listener, 0));
        }
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_deleted_customers"));
    }

    private static Connection listen() throws SQLException {
        Connection listener = PostgresResource.connect();
        try (Statement statement = listener.createStatement()) {
            statement.execute("LISTEN customer_changed");
        }
        return listener;
    }

    /** The payloads received on customer_changed: waits (up to 5 s) for {@code expected}, then 1 s for any more. */
    private static List<String> notifications(Connection listener, int expected) throws SQLException {
        PGConnection pg = listener.unwrap(PGConnection.class);
        List<String> received = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            PGNotification[] batch = pg.getNotifications(received.size() < expected ? 500 : 1000);
            if (batch == null || batch.length == 0) {
                if (received.size() >= expected) {
                    break;
                }
                continue;
            }
            for (PGNotification n : batch) {
                assertEquals("customer_changed", n.getName());
                received.add(n.getParameter());
            }
        }
        return received;
    }

    private static Map<String, Object> customer(String id, String clerkUserId) {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("id", id);
        customer.put("object", "customer");
        customer.put("email", "user@example.com");
        customer.put("metadata", clerkUserId == null ? Map.of() : Map.of("clerk_user_id", clerkUserId));
        return customer;
    }
}
