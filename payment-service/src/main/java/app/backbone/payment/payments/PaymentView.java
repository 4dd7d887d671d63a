package app.backbone.payment.payments;

import java.time.OffsetDateTime;

/** A payment as {@code GET /api/payment/verify/{reference}} answers it (no e-mail: the route is public). */
public record PaymentView(String reference, String status, int amount, String currency, String provider,
        OffsetDateTime paidAt, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
