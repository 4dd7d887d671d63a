package app.backbone.webhook.customers;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of {@code stripe_customer_mapping} as the webhooks keep it: Stripe's customer metadata is the truth. */
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
}
