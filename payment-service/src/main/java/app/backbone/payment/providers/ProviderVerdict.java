package app.backbone.payment.providers;

/**
 * What a provider says about one payment when asked.
 *
 * @param paidMinorAmount the amount the provider reports, in minor units (meaningful for {@link Kind#PAID})
 * @param currency the currency the provider reports (meaningful for {@link Kind#PAID})
 * @param detail the provider's own status word, for notes and logs
 * @param paymentId the provider's id of the money movement (Stripe's PaymentIntent), when it has one yet
 */
public record ProviderVerdict(Kind kind, long paidMinorAmount, String currency, String detail, String paymentId) {

    public enum Kind {
        /** Paid: to be checked against the row's amount and currency, then marked success. */
        PAID,
        /** The payment failed for good. */
        FAILED,
        /** The provider expired the checkout: the payment is cancelled. */
        EXPIRED,
        /** Under way at the provider (an async method is settling). */
        PROCESSING,
        /** Paystack's {@code reversed}: the money was paid and has gone back to the payer in full. */
        REVERSED,
        /** Paystack's {@code abandoned}: the payer left; it may still be paid, or be cancelled after a while. */
        ABANDONED,
        /** The provider has no such payment: initiate never reached it. */
        NOT_FOUND,
        /** Still open: nothing to apply. */
        OPEN
    }

    public static ProviderVerdict of(Kind kind, String detail) {
        return new ProviderVerdict(kind, 0, null, detail, null);
    }

    public ProviderVerdict withPaymentId(String id) {
        return new ProviderVerdict(kind, paidMinorAmount, currency, detail, id);
    }
}
