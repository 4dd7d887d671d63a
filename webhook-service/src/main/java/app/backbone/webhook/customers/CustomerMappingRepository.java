package app.backbone.webhook.customers;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SQL of {@code stripe_customer_mapping} as the webhooks keep it (Stripe's customer metadata is the truth), and of
 * {@code stripe_deleted_customers}, the durable record that a customer was deleted.
 */
@ApplicationScoped
public class CustomerMappingRepository {

    /**
     * Maps the Clerk user to the Stripe customer: a customer whose metadata now names another user leaves its old
     * mapping, and the user's mapping points at this customer.
     */
    public Uni<Void> upsert(SqlClient tx, String clerkUserId, String stripeCustomerId) {
        return tx.preparedQuery(
                "DELETE FROM stripe_customer_mapping WHERE stripe_customer_id = $1 AND clerk_user_id <> $2")
                .execute(Tuple.of(stripeCustomerId, clerkUserId))
                .flatMap(ignored -> tx.preparedQuery("""
                        INSERT INTO stripe_customer_mapping (clerk_user_id, stripe_customer_id) VALUES ($1, $2)
                        ON CONFLICT (clerk_user_id) DO UPDATE
                           SET stripe_customer_id = EXCLUDED.stripe_customer_id, updated_at = now()
                         WHERE stripe_customer_mapping.stripe_customer_id <> EXCLUDED.stripe_customer_id""")
                        .execute(Tuple.of(clerkUserId, stripeCustomerId)))
                .replaceWithVoid();
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

    /** Whether Stripe deleted this customer (a customer.deleted event was applied, however long ago). */
    public Uni<Boolean> isDeleted(SqlClient tx, String stripeCustomerId) {
        return tx.preparedQuery("SELECT 1 FROM stripe_deleted_customers WHERE stripe_customer_id = $1")
                .execute(Tuple.of(stripeCustomerId))
                .map(rows -> rows.iterator().hasNext());
    }
}
