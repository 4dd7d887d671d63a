package app.backbone.payment.customers;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SQL of the Clerk-user-to-Stripe-customer mapping. A customer recorded in {@code stripe_deleted_customers}
 * (webhook-service writes it on customer.deleted) is never answered: deletion is final in Stripe.
 */
@ApplicationScoped
public class CustomerMappingRepository {

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
}
