package app.backbone.webhook.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import app.backbone.webhook.Deliveries;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Each Stripe customer event asks whether the customer was deleted. With a ledger of many thousands of events that
 * question must be answered from the partial index, not by reading the ledger: a full read made every new event slower
 * than the last (the benchmark's new-event rate fell as the table grew).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
class DeletedCustomerLookupTest {

    @BeforeEach
    @AfterEach
    void clean() {
        Deliveries.cleanDatabase();
    }

    @Test
    void deletedCustomerIsFoundThroughThePartialIndexInALargeLedger() throws SQLException {
        Sql.update("""
                INSERT INTO webhook_events (provider, event_id, event_type, payload, processed_at)
                SELECT 'stripe', 'evt_lookup_' || n, 'customer.created',
                       jsonb_build_object('data', jsonb_build_object('object', jsonb_build_object('id', 'cus_' || n))),
                       now()
                  FROM generate_series(1, 20000) AS n""");
        Sql.update("""
                INSERT INTO webhook_events (provider, event_id, event_type, payload, processed_at)
                VALUES ('stripe', 'evt_lookup_deleted', 'customer.deleted',
                        '{"data": {"object": {"id": "cus_42"}}}', now())""");
        Sql.update("ANALYZE webhook_events");

        try (Connection connection = PostgresResource.connect(); Statement statement = connection.createStatement()) {
            statement.execute("PREPARE deleted_customer(text) AS " + WebhookEventRepository.STRIPE_CUSTOMER_DELETED);
            assertTrue(deleted(statement, "cus_42"));
            assertFalse(deleted(statement, "cus_43"));
            String plan = String.join("\n", lines(statement, "EXPLAIN EXECUTE deleted_customer('cus_43')"));
            assertTrue(plan.contains("webhook_events_stripe_deleted_customer_idx"), plan);
            assertFalse(plan.contains("Seq Scan"), plan);
        }
        assertEquals(20001, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    private static boolean deleted(Statement statement, String customerId) throws SQLException {
        try (ResultSet rows = statement.executeQuery("EXECUTE deleted_customer('" + customerId + "')")) {
            rows.next();
            return rows.getBoolean("deleted");
        }
    }

    private static List<String> lines(Statement statement, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return lines;
    }
}
