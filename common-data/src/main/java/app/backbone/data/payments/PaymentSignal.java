package app.backbone.data.payments;

/**
 * What a provider's word means for a payment, whichever provider said it (the README's table lists which Stripe and
 * Paystack words give which signal).
 */
public enum PaymentSignal {
    /** The money arrived (amount and currency are checked against the payment first). */
    PAID,
    /** The payer finished and the money is on its way (a delayed method such as a bank debit). */
    PROCESSING,
    /** One attempt was declined; the payer may try again in the same checkout, so nothing is closed. */
    DECLINED,
    /** The provider gave up on the payment (a delayed method failed, Paystack says failed). */
    FAILED,
    /** The checkout ended unpaid (expired, or abandoned for longer than the limit). */
    EXPIRED,
    /** Part of the money went back to the payer. */
    PARTLY_REFUNDED,
    /** All of the money went back to the payer (a full refund, or Paystack's reversed). */
    REFUNDED,
    /** The payer disputed the payment with their bank (a chargeback); its state is recorded beside the status. */
    DISPUTED
}
