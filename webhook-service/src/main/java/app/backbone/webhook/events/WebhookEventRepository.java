package app.backbone.webhook.events;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of the {@code webhook_events} ledger. */
@ApplicationScoped
public class WebhookEventRepository {

    private final Pool pool;

    public WebhookEventRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Whether the ledger holds the event as processed: one read on its unique key, outside any transaction, so a
     * redelivery of a known event costs no write. A row is committed only with its effect, so "no" is merely "not
     * yet": the caller then goes through {@link #insertIfNew}, which stays the authority.
     */
    public Uni<Boolean> isProcessed(VerifiedEvent event) {
        return pool.preparedQuery("""
                SELECT 1 FROM webhook_events
                 WHERE provider = $1 AND event_id = $2 AND processed_at IS NOT NULL""")
                .execute(Tuple.of(event.provider(), event.eventId()))
                .map(rows -> rows.iterator().hasNext());
    }

    /**
     * Records the event unless it is there already; answers its new id, or null for a duplicate. A concurrent delivery
     * of the same event waits here on the unique key until the first transaction ends, then gets nothing back.
     */
    public Uni<UUID> insertIfNew(SqlClient tx, VerifiedEvent event) {
        // The payload goes in as text and is cast by the server, so the provider's JSON is parsed once, by PostgreSQL.
        return tx.preparedQuery("""
                INSERT INTO webhook_events (provider, event_id, event_type, payload)
                VALUES ($1, $2, $3, $4::text::jsonb)
                ON CONFLICT (provider, event_id) DO NOTHING
                RETURNING id""")
                .execute(Tuple.of(event.provider(), event.eventId(), event.type(), storable(event.payload())))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getUUID("id") : null);
    }

    /**
     * jsonb refuses the JSON escape of the NUL character (backslash, u0000): a legal, signed event carrying one
     * would fail for ever and the provider would retry it for days. The stored copy gets U+FFFD instead; the effect
     * reads the original.
     */
    static String storable(String payload) {
        return payload.contains("\\u0000") ? payload.replace("\\u0000", "\\ufffd") : payload;
    }

    public Uni<Void> markProcessed(SqlClient tx, UUID id) {
        return tx.preparedQuery("UPDATE webhook_events SET processed_at = now() WHERE id = $1")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    /** Deletes processed events older than {@code retention}; answers how many went. */
    public Uni<Integer> deleteProcessedBefore(Duration retention) {
        return pool.preparedQuery("""
                DELETE FROM webhook_events
                 WHERE processed_at IS NOT NULL AND processed_at < now() - make_interval(secs => $1)""")
                .execute(Tuple.of((double) retention.toSeconds()))
                .map(rows -> rows.rowCount());
    }
}
