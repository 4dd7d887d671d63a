package app.backbone.webhook.paystack;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.data.payments.PaymentSettlements;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import static app.backbone.webhook.events.JsonFields.number;
import static app.backbone.webhook.events.JsonFields.text;

/** What each Paystack event does to our data, on the event's transaction, through {@link PaymentSettlements}. */
@ApplicationScoped
public class PaystackEventEffects {

    private final PaymentSettlements settlements;

    public PaystackEventEffects(PaymentSettlements settlements) {
        this.settlements = settlements;
    }

    public Uni<Void> apply(SqlClient tx, PaystackEvent event) {
        if (!"charge.success".equals(event.event())) {
            Log.debugf("Paystack event type %s has no effect here; recorded only", event.event());
            return Uni.createFrom().voidItem();
        }
        String reference = text(event.data(), "reference");
        Long amount = number(event.data(), "amount");
        String currency = text(event.data(), "currency");
        if (reference == null || amount == null || currency == null) {
            Log.warnf("Paystack event %s lacks a reference, amount or currency; recorded only", event.key());
            return Uni.createFrom().voidItem();
        }
        return settlements.markPaid(tx, reference, amount, currency).invoke(s -> {
            switch (s.outcome()) {
                case UNKNOWN_REFERENCE -> Log.warnf("Paystack event %s names payment %s, which does not exist; "
                        + "recorded only", event.key(), reference);
                case ALREADY_FINAL -> Log.infof("Payment %s is already %s; Paystack event %s changes nothing",
                        reference, s.status().dbValue(), event.key());
                case AMOUNT_MISMATCH, APPLIED -> {
                    // markPaid logs a mismatch itself
                }
            }
        }).replaceWithVoid();
    }
}
