package app.backbone.payment.payments;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * A payment as {@code GET /api/payment/verify/{reference}} answers it (no e-mail: the route is public).
 *
 * @param refundedAmount how much went back to the payer, in major units like {@code amount} (0 when nothing did)
 * @param disputeStatus the latest status of a dispute (chargeback), or null when there is none
 */
public record PaymentView(String reference, String status, int amount, String currency, String provider,
        BigDecimal refundedAmount, OffsetDateTime refundedAt, String disputeStatus, OffsetDateTime disputedAt,
        OffsetDateTime paidAt, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
