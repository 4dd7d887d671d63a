package app.backbone.data.subscriptions;

import java.time.OffsetDateTime;

/**
 * One of the user's subscriptions, as the webhook service last recorded it from Stripe. The first six components are
 * the original answer of {@code GET /stripe/subscription}; the rest were added for the subscription lifecycle.
 *
 * @param productId the first item's product, when known
 * @param quantity the first item's quantity (seats), when known
 * @param cancelAtPeriodEnd true when the subscription ends at {@code currentPeriodEnd}
 * @param cancelAt when Stripe will cancel it (set by a cancellation at the period's end or at a chosen time)
 * @param canceledAt when it was canceled (Stripe sets it at the request, also for one that ends later)
 * @param trialEnd when its trial ends (or ended)
 */
public record SubscriptionView(String id, String status, String priceId, String customerId,
        OffsetDateTime currentPeriodEnd, OffsetDateTime updatedAt, String productId, Integer quantity,
        OffsetDateTime currentPeriodStart, boolean cancelAtPeriodEnd, OffsetDateTime cancelAt,
        OffsetDateTime canceledAt, OffsetDateTime trialEnd) {

    /** The view as the first version of this record had it. */
    public SubscriptionView(String id, String status, String priceId, String customerId,
            OffsetDateTime currentPeriodEnd, OffsetDateTime updatedAt) {
        this(id, status, priceId, customerId, currentPeriodEnd, updatedAt, null, null, null, false, null, null, null);
    }

    public boolean isActive() {
        return "active".equals(status) || "trialing".equals(status);
    }
}
