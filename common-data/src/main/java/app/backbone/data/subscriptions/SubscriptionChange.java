package app.backbone.data.subscriptions;

import java.util.Objects;

/**
 * What recording one event did to a subscription: the row before (null when it was new) and after (null when the
 * event changed nothing: it was older than what is stored, or said nothing new).
 */
public record SubscriptionChange(SubscriptionRecord before, SubscriptionRecord after) {

    public boolean applied() {
        return after != null;
    }

    /** The row as it is now (null only when there is none). */
    public SubscriptionRecord current() {
        return after != null ? after : before;
    }

    /** The user got the plan: active or trialing, first seen so or after being incomplete. */
    public boolean started() {
        return after != null && SubscriptionRecord.isLive(after.status())
                && (before == null || "incomplete".equals(before.status()));
    }

    /** Another price (plan) than the one recorded. */
    public boolean planChanged() {
        return after != null && before != null && before.priceId() != null
                && !Objects.equals(before.priceId(), after.priceId());
    }

    /** Another quantity (seats) on the same plan. */
    public boolean quantityChanged() {
        return after != null && before != null && before.quantity() != null && !planChanged()
                && !Objects.equals(before.quantity(), after.quantity());
    }

    /** A cancellation at the period's end (or at a set time) was asked for. */
    public boolean cancellationScheduled() {
        return after != null && after.cancellationScheduled() && !"canceled".equals(after.status())
                && (before == null || !before.cancellationScheduled());
    }

    /** The subscription is now canceled (ended), and was not before. */
    public boolean ended() {
        return after != null && "canceled".equals(after.status())
                && (before == null || !"canceled".equals(before.status()));
    }
}
