package app.backbone.data.payments;

/**
 * One word of a provider about one payment, as every path hears it (webhook, verify, reconciler), reduced to what
 * {@link PaymentSettlements} needs.
 *
 * @param provider the provider that said it: a report never settles another provider's payment
 * @param minorAmount for {@code PAID} the amount paid, for a refund the refunded amount, in minor units
 * @param currency the currency of {@code minorAmount}
 * @param refundTotal for a refund: {@code minorAmount} is the total refunded so far (Stripe's
 *        {@code amount_refunded}), not one more refund to add (a Paystack refund event)
 * @param checkoutId the provider's checkout the word is about (Stripe's session id), or null when the word does
 *        not name one; it must match the one recorded at initiate
 * @param paymentId the provider's id of the money movement (Stripe's PaymentIntent), or null; recorded when first
 *        seen, and must match from then on
 * @param disputeStatus for {@code DISPUTED}, the dispute's status
 * @param note what to add to the payment's notes, or null
 */
public record ProviderReport(Provider provider, PaymentSignal signal, long minorAmount, String currency,
        boolean refundTotal, String checkoutId, String paymentId, String disputeStatus, String note) {

    public static ProviderReport of(Provider provider, PaymentSignal signal, String note) {
        return new ProviderReport(provider, signal, 0, null, false, null, null, null, note);
    }

    public static ProviderReport paid(Provider provider, long minorAmount, String currency) {
        return new ProviderReport(provider, PaymentSignal.PAID, minorAmount, currency, false, null, null, null, null);
    }

    /** A refund; {@code total} says whether {@code minorAmount} is the running total or one refund to add. */
    public static ProviderReport refund(Provider provider, long minorAmount, String currency, boolean total) {
        return new ProviderReport(provider, PaymentSignal.REFUNDED, minorAmount, currency, total, null, null, null,
                null);
    }

    public static ProviderReport disputed(Provider provider, String disputeStatus, String note) {
        return new ProviderReport(provider, PaymentSignal.DISPUTED, 0, null, false, null, null, disputeStatus, note);
    }

    public ProviderReport withCheckout(String id) {
        return new ProviderReport(provider, signal, minorAmount, currency, refundTotal, id, paymentId, disputeStatus,
                note);
    }

    public ProviderReport withPayment(String id) {
        return new ProviderReport(provider, signal, minorAmount, currency, refundTotal, checkoutId, id, disputeStatus,
                note);
    }

    public ProviderReport withNote(String text) {
        return new ProviderReport(provider, signal, minorAmount, currency, refundTotal, checkoutId, paymentId,
                disputeStatus, text);
    }

    boolean isRefund() {
        return signal == PaymentSignal.REFUNDED || signal == PaymentSignal.PARTLY_REFUNDED;
    }
}
