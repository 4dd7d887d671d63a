package app.backbone.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import app.backbone.webhook.events.WebhookRetention;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class RetentionTest {

    @Inject
    WebhookRetention retention;

    @Inject
    WebhookConfig config;

    @BeforeEach
    void clean() {
        Deliveries.cleanDatabase();
    }

    private static void event(String id, String receivedAgo, String processedAgo) {
        Sql.update("INSERT INTO webhook_events (provider, event_id, event_type, payload, received_at, processed_at) "
                + "VALUES ('stripe', ?, 'test.event', '{}'::jsonb, now() - ?::interval, now() - ?::interval)",
                id, receivedAgo, processedAgo);
    }

    @Test
    void defaultRetentionIsNinetyDays() {
        assertEquals(Duration.ofDays(90), config.retention());
    }

    @Test
    void processedEventsOlderThanTheRetentionArePruned() {
        event("evt_old", "91 days", "91 days");
        event("evt_recent", "89 days", "89 days");
        event("evt_new", "1 minute", "1 minute");
        Sql.update("INSERT INTO webhook_events (provider, event_id, event_type, payload, received_at) "
                + "VALUES ('paystack', 'charge.success:1', 'charge.success', '{}'::jsonb, now() - interval '200 days')");

        int deleted = retention.prune().await().atMost(Duration.ofSeconds(10));

        assertEquals(1, deleted);
        List<Map<String, Object>> left = Sql.rows("SELECT event_id FROM webhook_events ORDER BY event_id");
        assertEquals(List.of(Map.of("event_id", "charge.success:1"), Map.of("event_id", "evt_new"),
                Map.of("event_id", "evt_recent")), left);
    }
}
