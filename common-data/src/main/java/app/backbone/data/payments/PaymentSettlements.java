package app.backbone.data.payments;

import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.data.outbox.MailConfig;
import app.backbone.data.outbox.Outbox;
import app.backbone.data.outbox.OutboxMail;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Applies what a provider says about a payment, on the caller's transaction, the one way every path does it (verify,
 * reconcile, webhooks): status only moves forward, amount and currency must match to be paid, and the receipt mail
 * is queued under one dedupe key so it goes out once however many paths see the payment paid.
 */
@ApplicationScoped
public class PaymentSettlements {

    private final Outbox outbox;
    private final MailConfig mail;
    private final MeterRegistry registry;

    public PaymentSettlements(Outbox outbox, MailConfig mail, MeterRegistry registry) {
        this.outbox = outbox;
        this.mail = mail;
        this.registry = registry;
    }

    /**
     * The provider says the payment is paid, {@code paidMinorAmount} in {@code paidCurrency}.
     */
    public Uni<Settlement> markPaid(SqlClient tx, String reference, long paidMinorAmount, String paidCurrency) {
        return lock(tx, reference).flatMap(row -> {
            if (row == null) {
                return Uni.createFrom().item(new Settlement(Settlement.Outcome.UNKNOWN_REFERENCE, reference, null));
            }
            PaymentStatus status = PaymentStatus.fromDb(row.getString("status"));
            if (status.isTerminal()) {
                return Uni.createFrom().item(new Settlement(Settlement.Outcome.ALREADY_FINAL, reference, status));
            }
            String currency = row.getString("currency").trim();
            long expected = Currencies.toMinorUnits(row.getInteger("amount"), currency);
            if (expected != paidMinorAmount || !currency.equalsIgnoreCase(paidCurrency)) {
                Log.warnf("Payment %s reported paid with %d %s but %d %s was expected; not marked paid", reference,
                        paidMinorAmount, paidCurrency, expected, currency);
                registry.counter("payments.amount.mismatch").increment();
                String note = "provider reported " + paidMinorAmount + " " + String.valueOf(paidCurrency)
                        .toUpperCase(Locale.ROOT) + " (minor units), expected " + expected + " " + currency;
                return tx.preparedQuery("UPDATE payments SET notes = $2, updated_at = now() WHERE reference = $1")
                        .execute(Tuple.of(reference, note))
                        .replaceWith(new Settlement(Settlement.Outcome.AMOUNT_MISMATCH, reference, status));
            }
            return tx.preparedQuery("""
                    UPDATE payments SET status = 'success', paid_at = now(), updated_at = now()
                     WHERE reference = $1
                    RETURNING email, amount, currency, paid_at""")
                    .execute(Tuple.of(reference))
                    .flatMap(rows -> {
                        Row paid = rows.iterator().next();
                        registry.counter("payments.settled", "status", "success", "provider", row.getString("provider"))
                                .increment();
                        return outbox.enqueue(tx, receipt(reference, paid));
                    })
                    .replaceWith(new Settlement(Settlement.Outcome.APPLIED, reference, PaymentStatus.SUCCESS));
        });
    }

    /** The provider says the payment failed or expired: {@code target} is {@code FAILED} or {@code CANCELLED}. */
    public Uni<Settlement> close(SqlClient tx, String reference, PaymentStatus target, String note) {
        if (!target.isTerminal() || target == PaymentStatus.SUCCESS) {
            throw new IllegalArgumentException("close() takes FAILED or CANCELLED, not " + target);
        }
        return lock(tx, reference).flatMap(row -> {
            if (row == null) {
                return Uni.createFrom().item(new Settlement(Settlement.Outcome.UNKNOWN_REFERENCE, reference, null));
            }
            PaymentStatus status = PaymentStatus.fromDb(row.getString("status"));
            if (status.isTerminal()) {
                return Uni.createFrom().item(new Settlement(Settlement.Outcome.ALREADY_FINAL, reference, status));
            }
            return tx.preparedQuery("""
                    UPDATE payments SET status = $2, notes = coalesce($3, notes), updated_at = now()
                     WHERE reference = $1""")
                    .execute(Tuple.of(reference, target.dbValue(), note))
                    .invoke(() -> registry.counter("payments.settled", "status", target.dbValue(), "provider",
                            row.getString("provider")).increment())
                    .replaceWith(new Settlement(Settlement.Outcome.APPLIED, reference, target));
        });
    }

    /** The payment is under way at the provider (pending to processing; anything later is left alone). */
    public Uni<Settlement> markProcessing(SqlClient tx, String reference) {
        return tx.preparedQuery("""
                UPDATE payments SET status = 'processing', updated_at = now()
                 WHERE reference = $1 AND status = 'pending'""")
                .execute(Tuple.of(reference))
                .map(rows -> new Settlement(rows.rowCount() == 1 ? Settlement.Outcome.APPLIED
                        : Settlement.Outcome.ALREADY_FINAL, reference, PaymentStatus.PROCESSING));
    }

    private static Uni<Row> lock(SqlClient tx, String reference) {
        return tx.preparedQuery("SELECT status, amount, currency, provider FROM payments WHERE reference = $1 FOR UPDATE")
                .execute(Tuple.of(reference))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next() : null);
    }

    private OutboxMail receipt(String reference, Row paid) {
        return new OutboxMail("payment-receipt:" + reference, paid.getString("email"), null,
                "Thank you for your payment", "payment-receipt",
                Map.of("reference", reference, "amount", paid.getInteger("amount"),
                        "currency", paid.getString("currency").trim(),
                        "paidAt", paid.getOffsetDateTime("paid_at").toString(),
                        "company", mail.companyName()));
    }
}
