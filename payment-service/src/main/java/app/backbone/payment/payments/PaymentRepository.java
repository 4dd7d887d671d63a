package app.backbone.payment.payments;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.data.payments.PaymentStatus;
import app.backbone.data.payments.Provider;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of payments (status changes go through PaymentSettlements, not here). */
@ApplicationScoped
public class PaymentRepository {

    private static final String COLUMNS = "reference, email, amount, currency, provider, provider_ref, clerk_user_id, "
            + "status, refunded_minor, refunded_at, dispute_status, disputed_at, paid_at, created_at, updated_at";

    public Uni<Void> insertPending(SqlClient tx, String reference, String email, int amount, String currency,
            String provider, String clerkUserId, Map<String, Object> metadata) {
        return tx.preparedQuery("""
                INSERT INTO payments (reference, email, amount, currency, provider, clerk_user_id, status, metadata)
                VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)""")
                .execute(Tuple.tuple().addString(reference).addString(email).addInteger(amount).addString(currency)
                        .addString(provider).addString(clerkUserId).addValue(new JsonObject(metadata)))
                .replaceWithVoid();
    }

    public Uni<Void> recordProviderRef(SqlClient client, String reference, String providerRef) {
        return client.preparedQuery("UPDATE payments SET provider_ref = $2, updated_at = now() WHERE reference = $1")
                .execute(Tuple.of(reference, providerRef))
                .replaceWithVoid();
    }

    public Uni<Payment> find(SqlClient client, String reference) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM payments WHERE reference = $1")
                .execute(Tuple.of(reference))
                .map(rows -> rows.iterator().hasNext() ? toPayment(rows.iterator().next()) : null);
    }

    /**
     * Claims open payments older than {@code minAge} that no one holds, for {@code lease}: rows another replica is
     * claiming right now are skipped (SKIP LOCKED), and a claimed row stays invisible to others until the lease ends.
     */
    public Uni<List<Payment>> claimStale(SqlClient client, Duration minAge, Duration lease, int limit) {
        return client.preparedQuery("""
                UPDATE payments SET reconcile_after = now() + make_interval(secs => $2)
                 WHERE id IN (SELECT id FROM payments
                               WHERE status IN ('pending', 'processing')
                                 AND created_at < now() - make_interval(secs => $1)
                                 AND (reconcile_after IS NULL OR reconcile_after <= now())
                               ORDER BY created_at
                               LIMIT $3
                               FOR UPDATE SKIP LOCKED)
                RETURNING\s""" + COLUMNS)
                .execute(Tuple.of((double) minAge.toSeconds(), (double) lease.toSeconds(), limit))
                .map(rows -> {
                    List<Payment> claimed = new java.util.ArrayList<>();
                    rows.forEach(row -> claimed.add(toPayment(row)));
                    return claimed;
                });
    }

    private static Payment toPayment(Row row) {
        return new Payment(row.getString("reference"), row.getString("email"), row.getInteger("amount"),
                row.getString("currency").trim(), Provider.fromId(row.getString("provider")), row.getString("provider_ref"),
                row.getString("clerk_user_id"), PaymentStatus.fromDb(row.getString("status")),
                row.getLong("refunded_minor"), row.getOffsetDateTime("refunded_at"), row.getString("dispute_status"),
                row.getOffsetDateTime("disputed_at"), row.getOffsetDateTime("paid_at"), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at"));
    }
}
