package app.backbone.data.subscriptions;

import java.time.OffsetDateTime;

/**
 * What one Stripe event says about a subscription.
 *
 * <p>A subscription event ({@code customer.subscription.*}, {@code statusFromSubscription} true) carries the whole
 * subscription: its cancellation and trial fields are taken as sent (null means none, e.g. a cancellation that was
 * undone); {@code priceId}, {@code productId} and {@code quantity} come from its first item and are kept together
 * when the event has no item; a missing period keeps the stored one. An invoice event (false) says only a status it
 * implies (null: none), and the price and period of its first line.
 *
 * @param eventCreated Stripe's {@code created} of the event: the clock that orders events
 * @param statusFromSubscription true when this is the subscription's own state (a {@code customer.subscription.*}
 *        event), false when it is inferred from an invoice, which must not revive an ended subscription
 */
public record SubscriptionState(String id, String customerId, String status, String priceId, String productId,
        Integer quantity, OffsetDateTime currentPeriodStart, OffsetDateTime currentPeriodEnd,
        boolean cancelAtPeriodEnd, OffsetDateTime cancelAt, OffsetDateTime canceledAt, OffsetDateTime trialEnd,
        OffsetDateTime eventCreated, boolean statusFromSubscription) {

    /** The state as the first version of this record had it: no product, seats, period start, cancellation or trial. */
    public SubscriptionState(String id, String customerId, String status, String priceId,
            OffsetDateTime currentPeriodEnd, OffsetDateTime eventCreated, boolean statusFromSubscription) {
        this(id, customerId, status, priceId, null, null, null, currentPeriodEnd, false, null, null, null, eventCreated,
                statusFromSubscription);
    }

    /** What an invoice event says: the status it implies (or null) and its first line's price and period. */
    public static SubscriptionState fromInvoice(String id, String customerId, String impliedStatus, String priceId,
            OffsetDateTime periodStart, OffsetDateTime periodEnd, OffsetDateTime eventCreated) {
        return new SubscriptionState(id, customerId, impliedStatus, priceId, null, null, periodStart, periodEnd, false,
                null, null, null, eventCreated, false);
    }
}
