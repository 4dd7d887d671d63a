package app.backbone.payment.payments;

import java.time.OffsetDateTime;

import app.backbone.data.payments.Currencies;
import app.backbone.data.payments.PaymentStatus;
import app.backbone.data.payments.Provider;

/** A stored payment row. {@code refundedMinor} is in the currency's minor units, like the providers count. */
public record Payment(String reference, String email, int amount, String currency, Provider provider,
        String providerRef, String clerkUserId, PaymentStatus status, long refundedMinor, OffsetDateTime refundedAt,
        String disputeStatus, OffsetDateTime disputedAt, OffsetDateTime paidAt, OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    public PaymentView view() {
        return new PaymentView(reference, status.dbValue(), amount, currency, provider.id(),
                Currencies.toMajorUnits(refundedMinor, currency), refundedAt, disputeStatus, disputedAt, paidAt,
                createdAt, updatedAt);
    }
}
