package app.backbone.webhook.subscriptions;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Whether a Clerk user is subscribed, as the webhooks have recorded it.
 *
 * @param subscribed true when one of the user's subscriptions is {@code active} or {@code trialing}
 * @param stripeCustomerId the user's Stripe customer, or null when none is mapped yet
 */
public record SubscriptionView(boolean subscribed, String stripeCustomerId, List<Item> subscriptions) {

    public record Item(String id, String status, String priceId, OffsetDateTime currentPeriodEnd,
            OffsetDateTime lastEventAt) {

        boolean entitles() {
            return "active".equals(status) || "trialing".equals(status);
        }
    }
}
