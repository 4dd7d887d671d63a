package app.backbone.payment.subscriptions;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SQL of {@code subscription_checkouts} (migration V7): Idempotency-Key records of {@code POST /stripe/checkout},
 * per user. Each statement is one autocommit statement, so nothing is held open while Stripe answers.
 */
@ApplicationScoped
public class CheckoutClaimRepository {

    /**
     * A stored key: the request it was first used with, the session once there is one, and whether it is free to take
     * over (its claimer died: no answer by the end of its claim; or its answer is older than the keys' lifetime). A
     * claim still waiting for Stripe is never free, whatever the lifetime: its session may yet come.
     */
    public record CheckoutClaim(String fingerprint, String sessionId, String url, boolean takeable) {
    }

    /**
     * {@code true} when this call now holds the key: there was none, or the one there is free to take over. A
     * concurrent insert of the same key waits on the primary key, so only one of them wins.
     */
    public Uni<Boolean> claim(SqlClient client, String clerkUserId, String key, String fingerprint, UUID claimId,
            Duration lease, Duration ttl) {
        return client.preparedQuery("""
                INSERT INTO subscription_checkouts (clerk_user_id, idempotency_key, fingerprint, claim_id, claimed_until)
                VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
                ON CONFLICT (clerk_user_id, idempotency_key) DO UPDATE
                   SET fingerprint = EXCLUDED.fingerprint, claim_id = EXCLUDED.claim_id,
                       claimed_until = EXCLUDED.claimed_until, session_id = NULL, url = NULL, created_at = now()
                 WHERE CASE WHEN subscription_checkouts.session_id IS NULL
                            THEN subscription_checkouts.claimed_until < now()
                            ELSE subscription_checkouts.created_at < now() - make_interval(secs => $6) END
                RETURNING claim_id""")
                .execute(Tuple.of(clerkUserId, key, fingerprint, claimId, seconds(lease), seconds(ttl)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<CheckoutClaim> find(SqlClient client, String clerkUserId, String key, Duration ttl) {
        return client.preparedQuery("""
                SELECT fingerprint, session_id, url,
                       CASE WHEN session_id IS NULL THEN claimed_until < now()
                            ELSE created_at < now() - make_interval(secs => $3) END AS takeable
                  FROM subscription_checkouts WHERE clerk_user_id = $1 AND idempotency_key = $2""")
                .execute(Tuple.of(clerkUserId, key, seconds(ttl)))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new CheckoutClaim(row.getString("fingerprint"), row.getString("session_id"),
                            row.getString("url"), row.getBoolean("takeable"));
                });
    }

    /**
     * Records the session this claimer opened; a key another request has since taken over is left alone. The key's
     * lifetime counts from now, when its session exists, however long Stripe took to open it.
     */
    public Uni<Void> recordSession(SqlClient client, String clerkUserId, String key, UUID claimId, CheckoutResult result) {
        return client.preparedQuery("""
                UPDATE subscription_checkouts SET session_id = $4, url = $5, created_at = now()
                 WHERE clerk_user_id = $1 AND idempotency_key = $2 AND claim_id = $3""")
                .execute(Tuple.of(clerkUserId, key, claimId, result.sessionId(), result.url()))
                .replaceWithVoid();
    }

    /** Gives the key back after this claimer's attempt failed, so a retry makes a new attempt. */
    public Uni<Void> release(SqlClient client, String clerkUserId, String key, UUID claimId) {
        return client.preparedQuery("""
                DELETE FROM subscription_checkouts
                 WHERE clerk_user_id = $1 AND idempotency_key = $2 AND claim_id = $3 AND session_id IS NULL""")
                .execute(Tuple.of(clerkUserId, key, claimId))
                .replaceWithVoid();
    }

    public Uni<Integer> deleteExpired(SqlClient client, Duration ttl) {
        return client.preparedQuery(
                        "DELETE FROM subscription_checkouts WHERE created_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of(seconds(ttl)))
                .map(rows -> rows.rowCount());
    }

    private static double seconds(Duration duration) {
        return (double) duration.toMillis() / 1000;
    }
}
