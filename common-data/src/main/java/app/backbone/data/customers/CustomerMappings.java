package app.backbone.data.customers;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The one owner of {@code stripe_customer_mapping} (Clerk user to Stripe customer) and {@code stripe_deleted_customers}
 * (the durable record that Stripe deleted a customer). payment-service makes a user's customer and maps it
 * ({@link #insert}); webhook-service keeps the mapping as Stripe's customer events say ({@link #upsert}). Both fill
 * {@code user_id} like the replaced backend did (the Clerk user id), and neither ever answers a deleted customer.
 * webhook-service also announces each customer change on {@link CustomerChannel} ({@link #notifyChanged}).
 */
@ApplicationScoped
public class CustomerMappings {

    /** The user's Stripe customer id, or null when there is none or it names a deleted customer. */
    public Uni<String> findCustomerId(SqlClient client, String clerkUserId) {
        return client.preparedQuery("""
                SELECT m.stripe_customer_id FROM stripe_customer_mapping m
                 WHERE m.clerk_user_id = $1
                   AND NOT EXISTS (SELECT 1 FROM stripe_deleted_customers d
                                    WHERE d.stripe_customer_id = m.stripe_customer_id)""")
                .execute(Tuple.of(clerkUserId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
    }

    /** The user's most recently deleted customer (by its metadata or by a mapping left pointing at it), or null. */
    public Uni<String> findDeletedCustomerId(SqlClient client, String clerkUserId) {
        return client.preparedQuery("""
                SELECT d.stripe_customer_id FROM stripe_deleted_customers d
                 WHERE d.clerk_user_id = $1
                    OR d.stripe_customer_id IN (SELECT stripe_customer_id FROM stripe_customer_mapping
                                                 WHERE clerk_user_id = $1)
                 ORDER BY d.deleted_at DESC, d.stripe_customer_id
                 LIMIT 1""")
                .execute(Tuple.of(clerkUserId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
    }

    /** Removes the user's mapping if it names a deleted customer, so a new customer can be mapped. */
    public Uni<Void> deleteMappingToDeletedCustomer(SqlClient tx, String clerkUserId) {
        return tx.preparedQuery("""
                DELETE FROM stripe_customer_mapping m USING stripe_deleted_customers d
                 WHERE m.clerk_user_id = $1 AND d.stripe_customer_id = m.stripe_customer_id""")
                .execute(Tuple.of(clerkUserId))
                .replaceWithVoid();
    }

    /** {@code true} when the mapping was inserted, {@code false} when the user already had one. */
    public Uni<Boolean> insert(SqlClient tx, String clerkUserId, String stripeCustomerId) {
        return tx.preparedQuery("""
                INSERT INTO stripe_customer_mapping (user_id, clerk_user_id, stripe_customer_id)
                VALUES ($1, $1, $2) ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(clerkUserId, stripeCustomerId))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Whether mapping the user to the customer ({@link #upsert}) would change a mapping that exists: the user is mapped
     * to another customer, or the customer to another user.
     */
    public Uni<Boolean> wouldMove(SqlClient tx, String clerkUserId, String stripeCustomerId) {
        return tx.preparedQuery("""
                SELECT 1 FROM stripe_customer_mapping
                 WHERE clerk_user_id = $1 AND stripe_customer_id <> $2
                    OR stripe_customer_id = $2 AND clerk_user_id <> $1
                 LIMIT 1""")
                .execute(Tuple.of(clerkUserId, stripeCustomerId))
                .map(rows -> rows.iterator().hasNext());
    }

    /**
     * The customer event that last wrote this customer's mapping ({@link CustomerEventOrder}), or null when no event
     * did (no mapping, or one payment-service made). Read under {@link #lockCustomer}, so it stays true until commit.
     */
    public Uni<CustomerEventOrder.LastEvent> findLastEvent(SqlClient tx, String stripeCustomerId) {
        return tx.preparedQuery("""
                SELECT last_event_at, last_event_type FROM stripe_customer_mapping
                 WHERE stripe_customer_id = $1 AND last_event_at IS NOT NULL""")
                .execute(Tuple.of(stripeCustomerId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    var row = rows.iterator().next();
                    return new CustomerEventOrder.LastEvent(row.getOffsetDateTime(0), row.getString(1));
                });
    }

    /**
     * Maps the Clerk user to the Stripe customer as the customer event ({@code eventCreated}, {@code eventType}) says:
     * a customer whose metadata now names another user leaves its old mapping, and the user's mapping points at this
     * customer, with the customer's e-mail ({@code email} null keeps the one recorded for this customer) and the event
     * as the one that last wrote it. The caller checks first that the event is newer ({@link CustomerEventOrder}).
     */
    public Uni<Void> upsert(SqlClient tx, String clerkUserId, String stripeCustomerId, String email,
            OffsetDateTime eventCreated, String eventType) {
        return tx.preparedQuery(
                "DELETE FROM stripe_customer_mapping WHERE stripe_customer_id = $1 AND clerk_user_id <> $2")
                .execute(Tuple.of(stripeCustomerId, clerkUserId))
                .flatMap(ignored -> tx.preparedQuery("""
                        INSERT INTO stripe_customer_mapping (user_id, clerk_user_id, stripe_customer_id, email,
                                                             last_event_at, last_event_type)
                        VALUES ($1, $1, $2, $3, $4, $5)
                        ON CONFLICT (clerk_user_id) DO UPDATE
                           SET stripe_customer_id = EXCLUDED.stripe_customer_id,
                               email = CASE
                                   WHEN stripe_customer_mapping.stripe_customer_id = EXCLUDED.stripe_customer_id
                                   THEN coalesce(EXCLUDED.email, stripe_customer_mapping.email)
                                   ELSE EXCLUDED.email END,
                               last_event_at = EXCLUDED.last_event_at,
                               last_event_type = EXCLUDED.last_event_type,
                               updated_at = now()""")
                        .execute(Tuple.of(clerkUserId, stripeCustomerId, email, eventCreated, eventType)))
                .replaceWithVoid();
    }

    /** The e-mail recorded for the customer's mapping, or null (no mapping, or no e-mail known). */
    public Uni<String> findEmail(SqlClient client, String stripeCustomerId) {
        return client.preparedQuery("SELECT email FROM stripe_customer_mapping WHERE stripe_customer_id = $1")
                .execute(Tuple.of(stripeCustomerId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
    }

    /** Answers how many mappings went (0 or 1). */
    public Uni<Integer> deleteByCustomer(SqlClient tx, String stripeCustomerId) {
        return tx.preparedQuery("DELETE FROM stripe_customer_mapping WHERE stripe_customer_id = $1")
                .execute(Tuple.of(stripeCustomerId))
                .map(rows -> rows.rowCount());
    }

    /**
     * Holds a per-customer lock until the transaction ends, so a customer.deleted and a customer.updated of one
     * customer applied at the same moment run one after the other and the update sees the deletion.
     */
    public Uni<Void> lockCustomer(SqlClient tx, String stripeCustomerId) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended('stripe-customer-event:' || $1, 0))")
                .execute(Tuple.of(stripeCustomerId))
                .replaceWithVoid();
    }

    /** Records that Stripe deleted the customer; {@code clerkUserId} is its metadata's user, or null. */
    public Uni<Void> recordDeleted(SqlClient tx, String stripeCustomerId, String clerkUserId,
            OffsetDateTime deletedAt) {
        return tx.preparedQuery("""
                INSERT INTO stripe_deleted_customers (stripe_customer_id, clerk_user_id, deleted_at)
                VALUES ($1, $2, coalesce($3, now()))
                ON CONFLICT (stripe_customer_id) DO NOTHING""")
                .execute(Tuple.of(stripeCustomerId, clerkUserId, deletedAt))
                .replaceWithVoid();
    }

    /**
     * Tells every payment-service replica to forget its cached copy of the customer ({@link CustomerChannel}). Sent on
     * the event's transaction, so PostgreSQL delivers it only once the change is committed; a null id sends nothing.
     */
    public Uni<Void> notifyChanged(SqlClient tx, String stripeCustomerId) {
        if (stripeCustomerId == null) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("SELECT pg_notify($1, $2)")
                .execute(Tuple.of(CustomerChannel.NAME, stripeCustomerId))
                .replaceWithVoid();
    }

    /** Whether Stripe deleted this customer (a customer.deleted event was applied, however long ago). */
    public Uni<Boolean> isDeleted(SqlClient tx, String stripeCustomerId) {
        return tx.preparedQuery("SELECT 1 FROM stripe_deleted_customers WHERE stripe_customer_id = $1")
                .execute(Tuple.of(stripeCustomerId))
                .map(rows -> rows.iterator().hasNext());
    }
}
