package app.backbone.data.subscriptions;

import java.time.OffsetDateTime;

/**
 * A {@code subscriptions} row with the clocks that order Stripe's words about it.
 *
 * @param lastEventAt Stripe's {@code created} of the newest event applied to the row
 * @param statusEventAt of the event the stored status came from (null in rows written without it: then
 *        {@code lastEventAt})
 * @param snapshotEventAt of the last {@code customer.subscription.*} event applied; null when only invoices spoke
 */
public record SubscriptionRecord(String id, String customerId, String status, String priceId, String productId,
        Integer quantity, OffsetDateTime currentPeriodStart, OffsetDateTime currentPeriodEnd,
        boolean cancelAtPeriodEnd, OffsetDateTime cancelAt, OffsetDateTime canceledAt, OffsetDateTime trialEnd,
        OffsetDateTime lastEventAt, OffsetDateTime statusEventAt, OffsetDateTime snapshotEventAt) {

    /** Stripe's final statuses: a subscription that reached one never changes status again. */
    public static boolean isFinal(String status) {
        return "canceled".equals(status) || "incomplete_expired".equals(status);
    }

    /** Active or trialing: the user has the plan. */
    public static boolean isLive(String status) {
        return "active".equals(status) || "trialing".equals(status);
    }

    /** Whether an end is planned: at the period's end or at a set time. */
    public boolean cancellationScheduled() {
        return cancelAtPeriodEnd || cancelAt != null;
    }

    /** When the status was last set: the event time of the change that set it. */
    public OffsetDateTime statusClock() {
        return statusEventAt == null ? lastEventAt : statusEventAt;
    }
}
