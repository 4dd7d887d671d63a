package app.backbone.data.customers;

import java.time.OffsetDateTime;

/**
 * Orders Stripe's customer events the way {@link app.backbone.data.subscriptions.SubscriptionMerge} orders subscription
 * events, so the order of delivery never matters: an event writes a customer's mapping only if it is newer than the
 * event that last wrote it, that is a later {@code created}, or in the same second a {@code customer.updated} after the
 * {@code customer.created} (an update cannot come before its customer exists). Same-or-older is refused.
 */
public final class CustomerEventOrder {

    private CustomerEventOrder() {
    }

    /**
     * Whether the event ({@code created}, {@code type}) may write over what the stored event wrote;
     * {@code storedAt} null (no event wrote the mapping yet, or there is none) lets any event write.
     */
    public static boolean isNewer(OffsetDateTime storedAt, String storedType, OffsetDateTime created, String type) {
        if (storedAt == null) {
            return true;
        }
        if (created == null) {
            return false;
        }
        int byCreated = created.compareTo(storedAt);
        if (byCreated != 0) {
            return byCreated > 0;
        }
        return rank(type) > rank(storedType);
    }

    private static int rank(String type) {
        return "customer.created".equals(type) ? 0 : 1;
    }

    /** The customer event that last wrote a customer's mapping. */
    public record LastEvent(OffsetDateTime at, String type) {
    }
}
