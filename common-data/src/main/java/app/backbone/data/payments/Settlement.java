package app.backbone.data.payments;

/** What happened when a provider's word about a payment was applied. */
public record Settlement(Outcome outcome, String reference, PaymentStatus status) {

    public enum Outcome {
        /** The payment moved to the new status now. */
        APPLIED,
        /** The payment already had a terminal status; nothing changed (a paid payment never goes back). */
        ALREADY_FINAL,
        /** The provider reported another amount or currency than the row holds; the payment was not marked paid. */
        AMOUNT_MISMATCH,
        /** No payment has this reference. */
        UNKNOWN_REFERENCE
    }
}
