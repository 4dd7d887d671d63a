package app.backbone.payment.payments;

import java.time.OffsetDateTime;

import app.backbone.data.payments.Currencies;
import app.backbone.data.payments.PaymentStatus;

/** A stored payment row. {@code refundedMinor} is in the currency's minor units, like the providers count. */
public record Payment(String reference, String email, int amount, String currency, String provider,
        String providerRef, String clerkUserId, PaymentStatus status, long refundedMinor, OffsetDateTime refundedAt,
        String disputeStatus, OffsetDateTime disputedAt, OffsetDateTime paidAt, OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    public PaymentView view() {
        return new PaymentView(reference, status.dbValue(), amount, currency, provider,
                Currencies.toMajorUnits(refundedMinor, currency), refundedAt, disputeStatus, disputedAt, paidAt,
                createdAt, updatedAt);
    }
}
