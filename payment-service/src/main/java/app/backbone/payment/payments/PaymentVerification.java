package app.backbone.payment.payments;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.common.api.ApiException;
import app.backbone.data.payments.PaymentSettlements;
import app.backbone.data.payments.PaymentSignal;
import app.backbone.data.payments.PaymentStatus;
import app.backbone.data.payments.Provider;
import app.backbone.data.payments.ProviderReport;
import app.backbone.data.payments.Settlement;
import app.backbone.payment.config.PaymentConfig;
import app.backbone.payment.providers.PaystackConnector;
import app.backbone.payment.providers.ProviderFailure;
import app.backbone.payment.providers.ProviderVerdict;
import app.backbone.payment.providers.StripeConnector;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Asks the provider about a payment and applies its answer through {@link PaymentSettlements}: for
 * {@code GET /api/payment/verify/{reference}} and for the reconciler.
 */
@ApplicationScoped
public class PaymentVerification {

    // What a reference can be (ours, and Paystack's own rule): anything else cannot name a payment, so no query is run.
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._=-]{1,255}");

    private final Pool pool;
    private final PaymentRepository payments;
    private final PaymentSettlements settlements;
    private final StripeConnector stripe;
    private final PaystackConnector paystack;
    private final PaymentConfig config;

    public PaymentVerification(Pool pool, PaymentRepository payments, PaymentSettlements settlements,
            StripeConnector stripe, PaystackConnector paystack, PaymentConfig config) {
        this.pool = pool;
        this.payments = payments;
        this.settlements = settlements;
        this.stripe = stripe;
        this.paystack = paystack;
        this.config = config;
    }

    /**
     * The payment as stored, after asking the provider when it is still open, or was failed or cancelled lately (a
     * payer may come back and pay). A provider failure is a 502 for an open payment; for a closed one the stored
     * answer stands.
     */
    public Uni<PaymentView> verify(String reference) {
        if (reference == null || !REFERENCE.matcher(reference).matches()) {
            throw ApiException.notFound("No payment has this reference");
        }
        return payments.find(pool, reference).flatMap(payment -> {
            if (payment == null) {
                return Uni.createFrom().failure(ApiException.notFound("No payment has this reference"));
            }
            if (!canAsk(payment) || !(payment.status().isOpen() || isRecentlyClosed(payment))) {
                return Uni.createFrom().item(payment.view());
            }
            Uni<Payment> asked = ask(payment)
                    .flatMap(verdict -> apply(payment, verdict))
                    .flatMap(ignored -> payments.find(pool, reference));
            if (!payment.status().isOpen()) {
                asked = asked.onFailure(ProviderFailure.class).recoverWithItem(payment);
            }
            return asked.map(Payment::view);
        });
    }

    /** Whether the provider can be asked about this payment (a Stripe payment is looked up by its session id). */
    boolean canAsk(Payment payment) {
        return payment.provider() == Provider.PAYSTACK || payment.providerRef() != null;
    }

    Uni<ProviderVerdict> ask(Payment payment) {
        return payment.provider() == Provider.STRIPE
                ? stripe.verify(payment.providerRef())
                : paystack.verify(payment.reference());
    }

    /** Applies a provider's answer to the payment; an answer that settles nothing (still open) changes nothing. */
    Uni<Settlement> apply(Payment payment, ProviderVerdict verdict) {
        Provider provider = payment.provider();
        String said = provider.id() + " reported " + verdict.detail();
        ProviderReport report = switch (verdict.kind()) {
            case PAID -> ProviderReport.paid(provider, verdict.paidMinorAmount(), verdict.currency());
            case FAILED -> ProviderReport.of(provider, PaymentSignal.FAILED, said);
            case EXPIRED -> ProviderReport.of(provider, PaymentSignal.EXPIRED, said);
            case PROCESSING -> ProviderReport.of(provider, PaymentSignal.PROCESSING, null);
            case REVERSED -> ProviderReport.refund(provider, verdict.paidMinorAmount(), verdict.currency(), true)
                    .withNote(said);
            case ABANDONED, OPEN, NOT_FOUND -> null;
        };
        if (report == null) {
            return Uni.createFrom().nullItem();
        }
        return close(payment, report.withPayment(verdict.paymentId())).invoke(settlement -> Log.infof(
                "Payment %s: %s said %s, %s", payment.reference(), provider.id(), verdict.kind(), settlement.outcome()));
    }

    /** Applies {@code report} to the payment in a transaction of its own. */
    Uni<Settlement> close(Payment payment, ProviderReport report) {
        return pool.withTransaction(tx -> settlements.apply(tx, payment.reference(), report));
    }

    boolean isOlderThan(Payment payment, java.time.Duration age) {
        return payment.createdAt().isBefore(OffsetDateTime.now(ZoneOffset.UTC).minus(age));
    }

    private boolean isRecentlyClosed(Payment payment) {
        return (payment.status() == PaymentStatus.FAILED || payment.status() == PaymentStatus.CANCELLED)
                && !isOlderThan(payment, config.reopenWindow());
    }
}
