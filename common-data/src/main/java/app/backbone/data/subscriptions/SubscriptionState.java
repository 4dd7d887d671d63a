package app.backbone.data.subscriptions;

import java.time.OffsetDateTime;

/**
 * What one Stripe event says about a subscription. {@code priceId} and {@code currentPeriodEnd} may be null when the
 * event does not carry them; the stored values are kept then.
 *
 * @param eventCreated Stripe's {@code created} of the event: the clock that orders events
 * @param statusFromSubscription true when {@code status} is the subscription's own (a {@code customer.subscription.*}
 *        event), false when it is inferred from an invoice, which must not revive an ended subscription
 */
public record SubscriptionState(String id, String customerId, String status, String priceId,
        OffsetDateTime currentPeriodEnd, OffsetDateTime eventCreated, boolean statusFromSubscription) {
}
