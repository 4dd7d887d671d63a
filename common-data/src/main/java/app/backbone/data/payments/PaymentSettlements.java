package app.backbone.data.payments;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

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
 * reconcile, webhooks): the row is locked, the word must be about this payment (same provider, same checkout and
 * payment id as recorded), amount and currency must match to be paid, the status moves as {@link PaymentTransitions}
 * says, and the receipt mail is queued under one dedupe key so it goes out once however many paths see it paid.
 */
@ApplicationScoped
public class PaymentSettlements {

    private static final String COLUMNS = "reference, status, amount, currency, provider, provider_ref, "
            + "provider_payment_id, refunded_minor, dispute_status";
    private static final int NOTES_LIMIT = 4000;

    private final Outbox outbox;
    private final MailConfig mail;
    private final MeterRegistry registry;

    public PaymentSettlements(Outbox outbox, MailConfig mail, MeterRegistry registry) {
        this.outbox = outbox;
        this.mail = mail;
        this.registry = registry;
    }

    /** Applies {@code report} to the payment with our {@code reference}. */
    public Uni<Settlement> apply(SqlClient tx, String reference, ProviderReport report) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM payments WHERE reference = $1 FOR UPDATE")
                .execute(Tuple.of(reference))
                .flatMap(rows -> settle(tx, reference, rows.iterator().hasNext() ? rows.iterator().next() : null,
                        report));
    }

    /** Applies {@code report} to the payment whose provider payment id (Stripe's PaymentIntent) is {@code paymentId}. */
    public Uni<Settlement> applyToPaymentId(SqlClient tx, String paymentId, ProviderReport report) {
        return tx.preparedQuery("SELECT " + COLUMNS
                + " FROM payments WHERE provider = $1 AND provider_payment_id = $2 FOR UPDATE")
                .execute(Tuple.of(report.provider().id(), paymentId))
                .flatMap(rows -> settle(tx, paymentId, rows.iterator().hasNext() ? rows.iterator().next() : null,
                        report));
    }

    private Uni<Settlement> settle(SqlClient tx, String named, Row row, ProviderReport report) {
        if (row == null) {
            return settled(Settlement.Outcome.UNKNOWN_REFERENCE, named, null);
        }
        String reference = row.getString("reference");
        PaymentStatus from = PaymentStatus.fromDb(row.getString("status"));
        String provider = row.getString("provider");
        String mismatch = notThisPayment(row, report);
        if (mismatch != null) {
            Log.warnf("A %s word (%s) names payment %s but %s; not applied", report.provider().id(), report.signal(),
                    reference, mismatch);
            registry.counter("payments.settlement.refused", "provider", provider).increment();
            return settled(Settlement.Outcome.NOT_THIS_PAYMENT, reference, from);
        }
        String currency = row.getString("currency").trim();
        long expected = Currencies.toMinorUnits(row.getInteger("amount"), currency);
        if ((report.signal() == PaymentSignal.PAID || report.isRefund())
                && !currency.equalsIgnoreCase(String.valueOf(report.currency()))
                || report.signal() == PaymentSignal.PAID && expected != report.minorAmount()
                || report.isRefund() && report.minorAmount() < 0) {
            return amountMismatch(tx, reference, from, report, expected, currency);
        }

        long refunded = report.isRefund() ? refundedAfter(report, row.getLong("refunded_minor"), expected)
                : row.getLong("refunded_minor");
        PaymentSignal signal = !report.isRefund() ? report.signal()
                : refunded >= expected ? PaymentSignal.REFUNDED : PaymentSignal.PARTLY_REFUNDED;
        String dispute = signal == PaymentSignal.DISPUTED ? report.disputeStatus() : row.getString("dispute_status");
        PaymentStatus to = PaymentTransitions.next(from, signal);
        String note = report.note();
        if (to == PaymentStatus.SUCCESS && (from == PaymentStatus.FAILED || from == PaymentStatus.CANCELLED)) {
            note = join(note, "paid after it was " + from.dbValue() + " (" + provider + ")");
            registry.counter("payments.paid.after.closed", "provider", provider, "from", from.dbValue()).increment();
            Log.warnf("Payment %s was %s and is now paid: money that arrives wins", reference, from.dbValue());
        }
        boolean newIds = report.checkoutId() != null && row.getString("provider_ref") == null
                || report.paymentId() != null && row.getString("provider_payment_id") == null;
        boolean refundChanged = refunded != row.getLong("refunded_minor");
        boolean disputeChanged = !Objects.equals(dispute, row.getString("dispute_status"));
        if (to == from && note == null && !newIds && !refundChanged && !disputeChanged) {
            return settled(Settlement.Outcome.UNCHANGED, reference, from);
        }
        return tx.preparedQuery("""
                UPDATE payments
                   SET status = $2::text,
                       paid_at = CASE WHEN $2::text = 'success' THEN coalesce(paid_at, now()) ELSE paid_at END,
                       provider_ref = coalesce(provider_ref, $3),
                       provider_payment_id = coalesce(provider_payment_id, $4),
                       refunded_minor = $5::bigint,
                       refunded_at = CASE WHEN $5::bigint > refunded_minor THEN now() ELSE refunded_at END,
                       dispute_status = $6::text,
                       disputed_at = CASE WHEN $6::text IS NOT NULL THEN coalesce(disputed_at, now()) ELSE disputed_at END,
                       notes = CASE WHEN $7::text IS NULL THEN notes ELSE right(concat_ws(E'\\n', notes, $7::text), $8) END,
                       updated_at = now()
                 WHERE reference = $1
                RETURNING email, amount, currency, paid_at""")
                .execute(Tuple.tuple().addString(reference).addString(to.dbValue()).addString(report.checkoutId())
                        .addString(report.paymentId()).addLong(refunded).addString(dispute)
                        .addString(note).addInteger(NOTES_LIMIT))
                .flatMap(rows -> {
                    count(provider, from, to, signal, refundChanged, disputeChanged ? dispute : null);
                    if (to == PaymentStatus.SUCCESS && from != PaymentStatus.SUCCESS) {
                        return outbox.enqueue(tx, receipt(reference, rows.iterator().next()));
                    }
                    return Uni.createFrom().voidItem();
                })
                .replaceWith(new Settlement(to != from ? Settlement.Outcome.APPLIED : Settlement.Outcome.RECORDED,
                        reference, to));
    }

    /** The refunded total after a refund report: a running total only grows, one refund adds; never past the amount. */
    private static long refundedAfter(ProviderReport report, long refunded, long expected) {
        long total = report.refundTotal() ? Math.max(refunded, report.minorAmount()) : refunded + report.minorAmount();
        return Math.min(total, expected);
    }

    /** Why the report is not about this payment, or null when it is. */
    private static String notThisPayment(Row row, ProviderReport report) {
        if (!row.getString("provider").equals(report.provider().id())) {
            return "the payment is a " + row.getString("provider") + " payment";
        }
        String checkout = row.getString("provider_ref");
        if (report.checkoutId() != null && checkout != null && !checkout.equals(report.checkoutId())) {
            return "its checkout is " + checkout + ", not " + report.checkoutId();
        }
        String payment = row.getString("provider_payment_id");
        if (report.paymentId() != null && payment != null && !payment.equals(report.paymentId())) {
            return "its provider payment is " + payment + ", not " + report.paymentId();
        }
        return null;
    }

    private Uni<Settlement> amountMismatch(SqlClient tx, String reference, PaymentStatus status, ProviderReport report,
            long expected, String currency) {
        Log.warnf("Payment %s: %s reported %s of %d %s but the payment is %d %s; not applied", reference,
                report.provider().id(), report.signal(), report.minorAmount(), report.currency(), expected, currency);
        registry.counter("payments.amount.mismatch").increment();
        String note = "provider reported " + report.minorAmount() + " " + String.valueOf(report.currency())
                .toUpperCase(Locale.ROOT) + " (minor units) " + (report.isRefund() ? "refunded" : "paid")
                + ", expected " + expected + " " + currency;
        return tx.preparedQuery("UPDATE payments SET notes = right(concat_ws(E'\\n', notes, $2::text), $3), "
                + "updated_at = now() WHERE reference = $1")
                .execute(Tuple.of(reference, note, NOTES_LIMIT))
                .replaceWith(new Settlement(Settlement.Outcome.AMOUNT_MISMATCH, reference, status));
    }

    private void count(String provider, PaymentStatus from, PaymentStatus to, PaymentSignal signal,
            boolean refundChanged, String newDispute) {
        if (to != from) {
            registry.counter("payments.settled", "status", to.dbValue(), "provider", provider).increment();
        }
        if (refundChanged) {
            registry.counter("payments.refunds", "provider", provider, "kind",
                    signal == PaymentSignal.REFUNDED ? "full" : "partial").increment();
        }
        if (newDispute != null) {
            registry.counter("payments.disputes", "provider", provider, "status", newDispute).increment();
        }
    }

    private static String join(String first, String second) {
        return first == null ? second : first + "; " + second;
    }

    private static Uni<Settlement> settled(Settlement.Outcome outcome, String reference, PaymentStatus status) {
        return Uni.createFrom().item(new Settlement(outcome, reference, status));
    }

    private OutboxMail receipt(String reference, Row paid) {
        String currency = paid.getString("currency").trim();
        return new OutboxMail("payment-receipt:" + reference, paid.getString("email"), null,
                "Thank you for your payment", "payment-receipt",
                Map.of("reference", reference, "amount", Currencies.display(
                                Currencies.toMinorUnits(paid.getInteger("amount"), currency), currency),
                        "currency", currency,
                        "paidAt", paid.getOffsetDateTime("paid_at").toString(),
                        "company", mail.companyName()));
    }
}
