package app.backbone.data.subscriptions;

import java.time.OffsetDateTime;

/** One of the user's subscriptions, as the webhook service last recorded it from Stripe. */
public record SubscriptionView(String id, String status, String priceId, String customerId,
        OffsetDateTime currentPeriodEnd, OffsetDateTime updatedAt) {

    public boolean isActive() {
        return "active".equals(status) || "trialing".equals(status);
    }
}
