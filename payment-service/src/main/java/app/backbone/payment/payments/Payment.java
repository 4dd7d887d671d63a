package app.backbone.payment.payments;

import java.time.OffsetDateTime;

import app.backbone.data.payments.PaymentStatus;

/** A stored payment row. */
public record Payment(String reference, String email, int amount, String currency, String provider,
        String providerRef, String clerkUserId, PaymentStatus status, OffsetDateTime paidAt, OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    public PaymentView view() {
        return new PaymentView(reference, status.dbValue(), amount, currency, provider, paidAt, createdAt, updatedAt);
    }
}
