package app.backbone.webhook.subscriptions;


import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of the {@code subscriptions} table. */
@ApplicationScoped
public class SubscriptionRepository {

    private final Pool pool;

    public SubscriptionRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stores the state unless a later event already did: Stripe delivers out of order, and an older event must not roll
     * the state back; an invoice paid after the end does not revive an ended subscription. Answers whether the row
     * changed.
     */
    public Uni<Boolean> upsertIfNewer(SqlClient tx, SubscriptionState state) {
        return tx.preparedQuery("""
                INSERT INTO subscriptions (id, stripe_customer_id, status, price_id, current_period_end, last_event_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (id) DO UPDATE
                   SET stripe_customer_id = EXCLUDED.stripe_customer_id,
                       status = CASE WHEN $7 OR subscriptions.status NOT IN ('canceled', 'incomplete_expired')
                                     THEN EXCLUDED.status ELSE subscriptions.status END,
                       price_id = coalesce(EXCLUDED.price_id, subscriptions.price_id),
                       current_period_end = coalesce(EXCLUDED.current_period_end, subscriptions.current_period_end),
                       last_event_at = EXCLUDED.last_event_at,
                       updated_at = now()
                 WHERE subscriptions.last_event_at <= EXCLUDED.last_event_at""")
                .execute(Tuple.tuple()
                        .addString(state.id())
                        .addString(state.customerId())
                        .addString(state.status())
                        .addString(state.priceId())
                        .addOffsetDateTime(state.currentPeriodEnd())
                        .addOffsetDateTime(state.eventCreated())
                        .addBoolean(state.statusFromSubscription()))
                .map(rows -> rows.rowCount() == 1);
    }
}
