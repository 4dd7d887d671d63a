package app.backbone.payment.customers;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SQL of {@code stripe_customer_claims}: who may create a user's first Stripe customer. A claim is one autocommit
 * statement, so no transaction or connection is held while the claimer waits for Stripe; it ends when the claimer
 * releases it or, if the claimer died, when its lease runs out.
 */
@ApplicationScoped
public class CustomerClaimRepository {

    /** {@code true} when this call now holds the user's claim: there was none, or the one there had expired. */
    public Uni<Boolean> claim(SqlClient client, String clerkUserId, UUID claimId, Duration lease) {
        return client.preparedQuery("""
                INSERT INTO stripe_customer_claims (clerk_user_id, claim_id, claimed_until)
                VALUES ($1, $2, now() + make_interval(secs => $3))
                ON CONFLICT (clerk_user_id) DO UPDATE
                   SET claim_id = EXCLUDED.claim_id, claimed_until = EXCLUDED.claimed_until, created_at = now()
                 WHERE stripe_customer_claims.claimed_until < now()
                RETURNING claim_id""")
                .execute(Tuple.of(clerkUserId, claimId, (double) lease.toMillis() / 1000))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Ends this claimer's claim; a claim another request has since taken over is left alone. */
    public Uni<Void> release(SqlClient client, String clerkUserId, UUID claimId) {
        return client.preparedQuery("DELETE FROM stripe_customer_claims WHERE clerk_user_id = $1 AND claim_id = $2")
                .execute(Tuple.of(clerkUserId, claimId))
                .replaceWithVoid();
    }
}
