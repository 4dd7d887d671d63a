package app.backbone.webhook.paystack;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.data.payments.PaymentSettlements;
import app.backbone.data.payments.Provider;
import app.backbone.data.payments.ProviderReport;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import static app.backbone.webhook.events.JsonFields.number;
import static app.backbone.webhook.events.JsonFields.text;

/**
 * What each Paystack event does to our data, on the event's transaction, through {@link PaymentSettlements}:
 * {@code charge.success} pays the transaction named by {@code data.reference} (our reference), and
 * {@code refund.processed} adds one refund to the transaction named by {@code data.transaction_reference}.
 */
@ApplicationScoped
public class PaystackEventEffects {

    private final PaymentSettlements settlements;

    public PaystackEventEffects(PaymentSettlements settlements) {
        this.settlements = settlements;
    }

    public Uni<Void> apply(SqlClient tx, PaystackEvent event) {
        return switch (event.event()) {
            case "charge.success" -> settle(tx, event, text(event.data(), "reference"), ProviderReport.paid(
                    Provider.PAYSTACK, amount(event), text(event.data(), "currency")));
            // Each processed refund is its own event (keyed by the refund's id), so adding its amount is exact.
            case "refund.processed" -> settle(tx, event, text(event.data(), "transaction_reference"),
                    ProviderReport.refund(Provider.PAYSTACK, amount(event),
                            text(event.data(), "currency"), false));
            default -> {
                Log.debugf("Paystack event type %s has no effect here; recorded only", event.event());
                yield Uni.createFrom().voidItem();
            }
        };
    }

    private Uni<Void> settle(SqlClient tx, PaystackEvent event, String reference, ProviderReport report) {
        if (reference == null) {
            Log.warnf("Paystack event %s names no transaction reference; recorded only", event.key());
            return Uni.createFrom().voidItem();
        }
        return settlements.apply(tx, reference, report).invoke(s -> {
            switch (s.outcome()) {
                case UNKNOWN_REFERENCE -> Log.infof("Paystack event %s names payment %s, which is not ours; "
                        + "recorded only", event.key(), reference);
                case UNCHANGED -> Log.infof("Payment %s is %s; Paystack event %s changes nothing", reference,
                        s.status().dbValue(), event.key());
                case APPLIED, RECORDED, AMOUNT_MISMATCH, NOT_THIS_PAYMENT -> {
                    // applied changes are logged by the processor, refusals by PaymentSettlements
                }
            }
        }).replaceWithVoid();
    }

    /** The amount in subunits, or -1 when Paystack sent none (which can match no payment). */
    private static long amount(PaystackEvent event) {
        Long amount = number(event.data(), "amount");
        return amount == null ? -1 : amount;
    }
}
