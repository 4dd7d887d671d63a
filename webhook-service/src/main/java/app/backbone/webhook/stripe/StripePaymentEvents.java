package app.backbone.webhook.stripe;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import app.backbone.data.payments.PaymentSettlements;
import app.backbone.data.payments.PaymentSignal;
import app.backbone.data.payments.Provider;
import app.backbone.data.payments.ProviderReport;
import app.backbone.data.payments.Settlement;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import static app.backbone.webhook.events.JsonFields.id;
import static app.backbone.webhook.events.JsonFields.number;
import static app.backbone.webhook.events.JsonFields.text;

/**
 * What Stripe's payment events say about our payments (Checkout in payment mode, its PaymentIntent, the charge's
 * refunds and disputes), turned into {@link ProviderReport}s for {@link PaymentSettlements}. A session names its
 * payment by {@code client_reference_id}; a PaymentIntent and its charge by the {@code reference} metadata we set on
 * the PaymentIntent (Stripe copies it to the charge) or, failing that, by the PaymentIntent id recorded earlier.
 */
@ApplicationScoped
public class StripePaymentEvents {

    static final Provider PROVIDER = Provider.STRIPE;

    private final PaymentSettlements settlements;

    public StripePaymentEvents(PaymentSettlements settlements) {
        this.settlements = settlements;
    }

    /**
     * Whether this event is about a payment. A Checkout session is one only in payment mode (or with no mode, as
     * before Stripe named it): a subscription's session is paid by its invoices, and must never settle a payment.
     */
    public static boolean handles(StripeEvent event) {
        String type = event.type();
        if (type.startsWith("checkout.session.")) {
            String mode = text(event.object(), "mode");
            return mode == null || mode.equals("payment");
        }
        return type.startsWith("payment_intent.") || type.equals("charge.refunded")
                || type.startsWith("charge.dispute.");
    }

    public Uni<Void> apply(SqlClient tx, StripeEvent event) {
        JsonNode object = event.object();
        return switch (event.type()) {
            case "checkout.session.completed" -> session(tx, event, isPaid(object)
                    ? paid(object, "amount_total")
                    // A delayed method (bank debit ...): the money is on its way; async_payment_* decides.
                    : ProviderReport.of(PROVIDER, PaymentSignal.PROCESSING, null));
            case "checkout.session.async_payment_succeeded" -> session(tx, event, paid(object, "amount_total"));
            case "checkout.session.async_payment_failed" -> session(tx, event,
                    ProviderReport.of(PROVIDER, PaymentSignal.FAILED, "Stripe asynchronous payment failed"));
            case "checkout.session.expired" -> session(tx, event,
                    ProviderReport.of(PROVIDER, PaymentSignal.EXPIRED, "Stripe checkout session expired"));
            case "payment_intent.succeeded" -> intent(tx, event, paid(object, "amount_received"));
            case "payment_intent.processing" -> intent(tx, event,
                    ProviderReport.of(PROVIDER, PaymentSignal.PROCESSING, null));
            // One declined attempt: the session stays open and the payer may try another card.
            case "payment_intent.payment_failed" -> intent(tx, event,
                    ProviderReport.of(PROVIDER, PaymentSignal.DECLINED, declineNote(object)));
            case "payment_intent.canceled" -> intent(tx, event,
                    ProviderReport.of(PROVIDER, PaymentSignal.EXPIRED, "Stripe payment intent canceled"));
            case "charge.refunded" -> charge(tx, event, id(object, "payment_intent"), ProviderReport.refund(PROVIDER,
                    amount(object, "amount_refunded"), text(object, "currency"), true));
            default -> event.type().startsWith("charge.dispute.")
                    ? charge(tx, event, id(object, "payment_intent"), ProviderReport.disputed(PROVIDER,
                            text(object, "status"), "dispute " + text(object, "id") + " " + text(object, "status")
                                    + " (" + text(object, "reason") + ")"))
                    : recordedOnly(event);
        };
    }

    private Uni<Void> session(SqlClient tx, StripeEvent event, ProviderReport report) {
        JsonNode session = event.object();
        String reference = text(session, "client_reference_id");
        if (reference == null) {
            reference = text(session, "metadata", "reference");
        }
        if (reference == null) {
            return foreign(event);
        }
        ProviderReport named = report.withCheckout(text(session, "id")).withPayment(id(session, "payment_intent"));
        return settle(event, settlements.apply(tx, reference, named));
    }

    private Uni<Void> intent(SqlClient tx, StripeEvent event, ProviderReport report) {
        return charge(tx, event, text(event.object(), "id"), report);
    }

    /** A PaymentIntent or a charge (or a dispute of it): by our reference in its metadata, else by the intent id. */
    private Uni<Void> charge(SqlClient tx, StripeEvent event, String paymentIntentId, ProviderReport report) {
        ProviderReport named = report.withPayment(paymentIntentId);
        String reference = text(event.object(), "metadata", "reference");
        if (reference != null) {
            return settle(event, settlements.apply(tx, reference, named));
        }
        if (paymentIntentId == null) {
            return foreign(event);
        }
        return settle(event, settlements.applyToPaymentId(tx, paymentIntentId, named));
    }

    private static boolean isPaid(JsonNode session) {
        String paymentStatus = text(session, "payment_status");
        return "paid".equals(paymentStatus) || "no_payment_required".equals(paymentStatus);
    }

    private static ProviderReport paid(JsonNode object, String amountField) {
        return ProviderReport.paid(PROVIDER, amount(object, amountField), text(object, "currency"));
    }

    /** The amount, or -1 when Stripe sent none (which can match no payment, so nothing is marked paid). */
    private static long amount(JsonNode object, String field) {
        Long amount = number(object, field);
        return amount == null ? -1 : amount;
    }

    private static String declineNote(JsonNode intent) {
        String code = text(intent, "last_payment_error", "decline_code");
        if (code == null) {
            code = text(intent, "last_payment_error", "code");
        }
        return code == null ? "Stripe declined an attempt" : "Stripe declined an attempt: " + code;
    }

    private static Uni<Void> settle(StripeEvent event, Uni<Settlement> settlement) {
        return settlement.invoke(s -> {
            switch (s.outcome()) {
                case UNKNOWN_REFERENCE -> Log.infof("Stripe event %s (%s) names payment %s, which is not ours; "
                        + "recorded only", event.id(), event.type(), s.reference());
                case UNCHANGED -> Log.infof("Payment %s is %s; Stripe event %s (%s) changes nothing", s.reference(),
                        s.status().dbValue(), event.id(), event.type());
                case APPLIED, RECORDED, AMOUNT_MISMATCH, NOT_THIS_PAYMENT -> {
                    // applied changes are logged by the processor, refusals by PaymentSettlements
                }
            }
        }).replaceWithVoid();
    }

    private static Uni<Void> foreign(StripeEvent event) {
        Log.infof("Stripe event %s (%s) names no payment of ours; recorded only", event.id(), event.type());
        return Uni.createFrom().voidItem();
    }

    private static Uni<Void> recordedOnly(StripeEvent event) {
        Log.debugf("Stripe event type %s has no effect on payments; recorded only", event.type());
        return Uni.createFrom().voidItem();
    }
}
