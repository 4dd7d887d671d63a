package app.backbone.payment.customers;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of the Clerk-user-to-Stripe-customer mapping. */
@ApplicationScoped
public class CustomerMappingRepository {

    /** The user's Stripe customer id, or null. */
    public Uni<String> findCustomerId(SqlClient client, String clerkUserId) {
        return client.preparedQuery("SELECT stripe_customer_id FROM stripe_customer_mapping WHERE clerk_user_id = $1")
                .execute(Tuple.of(clerkUserId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
    }

    /** Holds the user's creation lock until the transaction ends, so one user's concurrent first calls run one by one. */
    public Uni<Void> lockUser(SqlClient tx, String clerkUserId) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended('stripe-customer:' || $1, 0))")
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
