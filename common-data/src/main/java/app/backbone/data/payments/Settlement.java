package app.backbone.data.payments;

/** What happened when a provider's word about a payment was applied. */
public record Settlement(Outcome outcome, String reference, PaymentStatus status) {

    public enum Outcome {
        /** The payment moved to a new status now. */
        APPLIED,
        /** The status stayed, but something was recorded (a decline's note, a refunded amount, a dispute, an id). */
        RECORDED,
        /** Nothing changed: the word was already known, or it cannot move this status (a paid payment never fails). */
        UNCHANGED,
        /** The provider reported another amount or currency than the row holds; the payment was not marked paid. */
        AMOUNT_MISMATCH,
        /** The word names a payment of another provider, or another checkout or payment id than the one recorded. */
        NOT_THIS_PAYMENT,
        /** No payment has this reference (or provider payment id). */
        UNKNOWN_REFERENCE
    }
}
