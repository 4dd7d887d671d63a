package app.backbone.payment.payments;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of Idempotency-Key records for initiate. */
@ApplicationScoped
public class IdempotencyRepository {

    /**
     * A stored key: the request it was first used with, its payment, the first answer once there is one, and whether
     * it is stranded (no answer after longer than any initiate takes: its request died holding it).
     */
    public record IdempotencyRecord(String fingerprint, String reference, JsonObject response, boolean stranded) {
    }

    /**
     * Takes the key for a new payment; {@code false} when another request has it. A concurrent insert of the same key
     * waits here until the first transaction ends, so only one of them can win.
     */
    public Uni<Boolean> claim(SqlClient tx, String key, String fingerprint, String reference, Duration ttl) {
        // An expired key is free again: drop it first, in the same transaction.
        return tx.preparedQuery("""
                DELETE FROM payment_idempotency WHERE idempotency_key = $1
                   AND created_at < now() - make_interval(secs => $2)""")
                .execute(Tuple.of(key, (double) ttl.toSeconds()))
                .flatMap(ignored -> tx.preparedQuery("""
                        INSERT INTO payment_idempotency (idempotency_key, fingerprint, reference)
                        VALUES ($1, $2, $3) ON CONFLICT (idempotency_key) DO NOTHING""")
                        .execute(Tuple.of(key, fingerprint, reference)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<IdempotencyRecord> find(SqlClient client, String key, Duration inFlightLimit) {
        return client.preparedQuery("""
                SELECT fingerprint, reference, response,
                       response IS NULL AND created_at < now() - make_interval(secs => $2) AS stranded
                  FROM payment_idempotency WHERE idempotency_key = $1""")
                .execute(Tuple.of(key, (double) inFlightLimit.toSeconds()))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    Object response = row.getValue("response");
                    return new IdempotencyRecord(row.getString("fingerprint"), row.getString("reference"),
                            response instanceof JsonObject json ? json : null, row.getBoolean("stranded"));
                });
    }

    /**
     * Frees a key whose request died holding it (no answer after {@code inFlightLimit}); answers the reference of
     * the payment it was making, or null when the key is not stranded.
     */
    public Uni<String> takeOverStranded(SqlClient tx, String key, Duration inFlightLimit) {
        return tx.preparedQuery("""
                DELETE FROM payment_idempotency
                 WHERE idempotency_key = $1 AND response IS NULL AND created_at < now() - make_interval(secs => $2)
                RETURNING reference""")
                .execute(Tuple.of(key, (double) inFlightLimit.toSeconds()))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString("reference") : null);
    }

    public Uni<Void> storeResponse(SqlClient client, String key, JsonObject response) {
        return client.preparedQuery("UPDATE payment_idempotency SET response = $2 WHERE idempotency_key = $1")
                .execute(Tuple.of(key, response))
                .replaceWithVoid();
    }

    /** Gives the key back after the first attempt failed, so a retry makes a new attempt. */
    public Uni<Void> release(SqlClient client, String key) {
        return client.preparedQuery("DELETE FROM payment_idempotency WHERE idempotency_key = $1")
                .execute(Tuple.of(key))
                .replaceWithVoid();
    }

    public Uni<Integer> deleteExpired(SqlClient client, Duration ttl) {
        return client.preparedQuery("DELETE FROM payment_idempotency WHERE created_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) ttl.toSeconds()))
                .map(rows -> rows.rowCount());
    }
}
