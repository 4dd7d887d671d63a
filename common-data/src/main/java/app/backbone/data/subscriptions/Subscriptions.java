package app.backbone.data.subscriptions;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The one owner of the {@code subscriptions} table: webhook-service records Stripe's subscription and invoice events
 * here, payment-service reads a user's subscriptions through the customer mapping.
 */
@ApplicationScoped
public class Subscriptions {

    /** A user's subscriptions: those of the customer mapped to the user. */
    private static final String USERS_SUBSCRIPTIONS = """
            SELECT s.id, s.status, s.price_id, s.stripe_customer_id, s.current_period_end, s.updated_at, s.product_id,
                   s.quantity, s.current_period_start, s.cancel_at_period_end, s.cancel_at, s.canceled_at, s.trial_end
              FROM subscriptions s
              JOIN stripe_customer_mapping m ON m.stripe_customer_id = s.stripe_customer_id
             WHERE m.clerk_user_id = $1
            """;

    /**
     * Records what one event says, on the caller's transaction, as {@link SubscriptionMerge} decides: Stripe delivers
     * out of order, and an older event must not roll the state back. Events about one subscription are applied one at
     * a time (a lock per subscription until the transaction ends), so two at once cannot both read the old row.
     */
    public Uni<SubscriptionChange> record(SqlClient tx, SubscriptionState state) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended('stripe-subscription:' || $1, 0))")
                .execute(Tuple.of(state.id()))
                .flatMap(locked -> tx.preparedQuery("""
                        SELECT id, stripe_customer_id, status, price_id, product_id, quantity, current_period_start,
                               current_period_end, cancel_at_period_end, cancel_at, canceled_at, trial_end,
                               last_event_at, status_event_at, snapshot_event_at
                          FROM subscriptions WHERE id = $1 FOR UPDATE""").execute(Tuple.of(state.id())))
                .flatMap(rows -> {
                    SubscriptionRecord before = rows.iterator().hasNext() ? record(rows.iterator().next()) : null;
                    SubscriptionRecord after = SubscriptionMerge.merge(before, state);
                    if (after == null) {
                        return Uni.createFrom().item(new SubscriptionChange(before, null));
                    }
                    return store(tx, after).replaceWith(new SubscriptionChange(before, after));
                });
    }

    /**
     * Stores the state unless a later event already did (see {@link #record}). Answers whether the row changed.
     */
    public Uni<Boolean> upsertIfNewer(SqlClient tx, SubscriptionState state) {
        return record(tx, state).map(SubscriptionChange::applied);
    }

    /** The user's subscriptions, newest period first. */
    public Uni<List<SubscriptionView>> findByClerkUser(SqlClient client, String clerkUserId) {
        return client.preparedQuery(USERS_SUBSCRIPTIONS + " ORDER BY s.current_period_end DESC NULLS LAST, s.id")
                .execute(Tuple.of(clerkUserId))
                .map(Subscriptions::views);
    }

    /**
     * The subscription if it is the user's (its customer is the one mapped to the user), else null: someone else's
     * subscription and one that does not exist look the same.
     */
    public Uni<SubscriptionView> findOwnedBy(SqlClient client, String clerkUserId, String subscriptionId) {
        return client.preparedQuery(USERS_SUBSCRIPTIONS + " AND s.id = $2")
                .execute(Tuple.of(clerkUserId, subscriptionId))
                .map(rows -> {
                    List<SubscriptionView> found = views(rows);
                    return found.isEmpty() ? null : found.get(0);
                });
    }

    private static Uni<Void> store(SqlClient tx, SubscriptionRecord s) {
        return tx.preparedQuery("""
                INSERT INTO subscriptions (id, stripe_customer_id, status, price_id, product_id, quantity,
                                           current_period_start, current_period_end, cancel_at_period_end, cancel_at,
                                           canceled_at, trial_end, last_event_at, status_event_at, snapshot_event_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                ON CONFLICT (id) DO UPDATE
                   SET stripe_customer_id = EXCLUDED.stripe_customer_id, status = EXCLUDED.status,
                       price_id = EXCLUDED.price_id, product_id = EXCLUDED.product_id, quantity = EXCLUDED.quantity,
                       current_period_start = EXCLUDED.current_period_start,
                       current_period_end = EXCLUDED.current_period_end,
                       cancel_at_period_end = EXCLUDED.cancel_at_period_end, cancel_at = EXCLUDED.cancel_at,
                       canceled_at = EXCLUDED.canceled_at, trial_end = EXCLUDED.trial_end,
                       last_event_at = EXCLUDED.last_event_at, status_event_at = EXCLUDED.status_event_at,
                       snapshot_event_at = EXCLUDED.snapshot_event_at, updated_at = now()""")
                .execute(Tuple.tuple()
                        .addString(s.id())
                        .addString(s.customerId())
                        .addString(s.status())
                        .addString(s.priceId())
                        .addString(s.productId())
                        .addInteger(s.quantity())
                        .addOffsetDateTime(s.currentPeriodStart())
                        .addOffsetDateTime(s.currentPeriodEnd())
                        .addBoolean(s.cancelAtPeriodEnd())
                        .addOffsetDateTime(s.cancelAt())
                        .addOffsetDateTime(s.canceledAt())
                        .addOffsetDateTime(s.trialEnd())
                        .addOffsetDateTime(s.lastEventAt())
                        .addOffsetDateTime(s.statusEventAt())
                        .addOffsetDateTime(s.snapshotEventAt()))
                .replaceWithVoid();
    }

    private static SubscriptionRecord record(Row row) {
        return new SubscriptionRecord(row.getString("id"), row.getString("stripe_customer_id"), row.getString("status"),
                row.getString("price_id"), row.getString("product_id"), row.getInteger("quantity"),
                row.getOffsetDateTime("current_period_start"), row.getOffsetDateTime("current_period_end"),
                row.getBoolean("cancel_at_period_end"), row.getOffsetDateTime("cancel_at"),
                row.getOffsetDateTime("canceled_at"), row.getOffsetDateTime("trial_end"),
                row.getOffsetDateTime("last_event_at"), row.getOffsetDateTime("status_event_at"),
                row.getOffsetDateTime("snapshot_event_at"));
    }

    private static List<SubscriptionView> views(RowSet<Row> rows) {
        List<SubscriptionView> found = new ArrayList<>();
        rows.forEach(row -> found.add(new SubscriptionView(row.getString("id"), row.getString("status"),
                row.getString("price_id"), row.getString("stripe_customer_id"),
                row.getOffsetDateTime("current_period_end"), row.getOffsetDateTime("updated_at"),
                row.getString("product_id"), row.getInteger("quantity"),
                row.getOffsetDateTime("current_period_start"), row.getBoolean("cancel_at_period_end"),
                row.getOffsetDateTime("cancel_at"), row.getOffsetDateTime("canceled_at"),
                row.getOffsetDateTime("trial_end"))));
        return found;
    }
}
