package app.backbone.data.subscriptions;


import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The one owner of the {@code subscriptions} table: webhook-service records Stripe's subscription events here,
 * payment-service reads a user's subscriptions through the customer mapping.
 */
@ApplicationScoped
public class Subscriptions {

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

    /** The user's subscriptions, newest period first. */
    public Uni<List<SubscriptionView>> findByClerkUser(SqlClient client, String clerkUserId) {
        return client.preparedQuery("""
                SELECT s.id, s.status, s.price_id, s.stripe_customer_id, s.current_period_end, s.updated_at
                  FROM subscriptions s
                  JOIN stripe_customer_mapping m ON m.stripe_customer_id = s.stripe_customer_id
                 WHERE m.clerk_user_id = $1
                 ORDER BY s.current_period_end DESC NULLS LAST, s.id""")
                .execute(Tuple.of(clerkUserId))
                .map(rows -> {
                    List<SubscriptionView> found = new ArrayList<>();
                    rows.forEach(row -> found.add(new SubscriptionView(row.getString("id"), row.getString("status"),
                            row.getString("price_id"), row.getString("stripe_customer_id"),
                            row.getOffsetDateTime("current_period_end"), row.getOffsetDateTime("updated_at"))));
                    return found;
                });
    }
}
