package app.backbone.webhook.subscriptions;

import java.time.OffsetDateTime;

/**
 * What one Stripe event says about a subscription. {@code priceId} and {@code currentPeriodEnd} may be null when the
 * event does not carry them; the stored values are kept then.
 *
 * @param eventCreated Stripe's {@code created} of the event: the clock that orders events
 */
public record SubscriptionState(String id, String customerId, String status, String priceId,
        OffsetDateTime currentPeriodEnd, OffsetDateTime eventCreated) {
}
