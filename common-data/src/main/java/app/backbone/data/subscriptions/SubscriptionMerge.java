package app.backbone.data.subscriptions;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Merges what one Stripe event says into the stored subscription, so that the order of delivery never matters:
 *
 * <ul>
 * <li>a subscription event applies only if it is newer than the last subscription event applied: a later
 * {@code created}, or in the same second a later period start, or, with the same period, a status that cannot come
 * before the stored one ({@code incomplete} < {@code trialing} < {@code active}, {@code past_due} ... <
 * {@code canceled});</li>
 * <li>a status Stripe calls final ({@code canceled}, {@code incomplete_expired}) never changes again;</li>
 * <li>an invoice moves the status only as an invoice can (paid: to {@code active} from incomplete, past due, unpaid or
 * trialing; failed: to {@code past_due} from active or trialing), only if newer than the word the status came from,
 * and its line's price and period only while no subscription event spoke (a proration line names the old price).</li>
 * </ul>
 */
public final class SubscriptionMerge {

    private static final Map<String, Set<String>> INVOICE_MOVES = Map.of(
            "active", Set.of("incomplete", "past_due", "unpaid", "trialing", "active"),
            "past_due", Set.of("active", "trialing", "past_due"));

    private SubscriptionMerge() {
    }

    /**
     * The row after the event, or null when the event changes nothing (a new row needs a status and a customer).
     * {@code stored} is null for a new one.
     */
    public static SubscriptionRecord merge(SubscriptionRecord stored, SubscriptionState word) {
        SubscriptionRecord merged = word.statusFromSubscription() ? subscription(stored, word) : invoice(stored, word);
        return Objects.equals(merged, stored) ? null : merged;
    }

    private static SubscriptionRecord subscription(SubscriptionRecord stored, SubscriptionState word) {
        OffsetDateTime at = word.eventCreated();
        if (stored == null) {
            if (word.status() == null || word.customerId() == null) {
                return null;
            }
            return new SubscriptionRecord(word.id(), word.customerId(), word.status(), word.priceId(), word.productId(),
                    word.quantity(), word.currentPeriodStart(), word.currentPeriodEnd(), word.cancelAtPeriodEnd(),
                    word.cancelAt(), word.canceledAt(), word.trialEnd(), at, at, at);
        }
        if (!newerSubscriptionWord(stored, word)) {
            return stored;
        }
        boolean statusApplies = word.status() != null && !SubscriptionRecord.isFinal(stored.status())
                && newerStatus(stored, word.status(), at, true);
        boolean hasItem = word.priceId() != null;
        return new SubscriptionRecord(stored.id(), or(word.customerId(), stored.customerId()),
                statusApplies ? word.status() : stored.status(),
                hasItem ? word.priceId() : stored.priceId(),
                hasItem ? word.productId() : stored.productId(),
                hasItem ? word.quantity() : stored.quantity(),
                or(word.currentPeriodStart(), stored.currentPeriodStart()),
                or(word.currentPeriodEnd(), stored.currentPeriodEnd()),
                word.cancelAtPeriodEnd(), word.cancelAt(), word.canceledAt(), word.trialEnd(),
                latest(stored.lastEventAt(), at),
                statusApplies ? at : stored.statusEventAt(), at);
    }

    private static SubscriptionRecord invoice(SubscriptionRecord stored, SubscriptionState word) {
        OffsetDateTime at = word.eventCreated();
        if (stored == null) {
            if (word.status() == null || word.customerId() == null) {
                return null;
            }
            return new SubscriptionRecord(word.id(), word.customerId(), word.status(), word.priceId(), null, null,
                    word.currentPeriodStart(), word.currentPeriodEnd(), false, null, null, null, at, at, null);
        }
        boolean statusApplies = word.status() != null && !SubscriptionRecord.isFinal(stored.status())
                && INVOICE_MOVES.getOrDefault(word.status(), Set.of()).contains(stored.status())
                && newerStatus(stored, word.status(), at, false);
        boolean linesApply = stored.snapshotEventAt() == null && !at.isBefore(stored.lastEventAt());
        if (!statusApplies && !linesApply) {
            return stored;
        }
        return new SubscriptionRecord(stored.id(), stored.customerId(),
                statusApplies ? word.status() : stored.status(),
                linesApply ? or(word.priceId(), stored.priceId()) : stored.priceId(),
                stored.productId(), stored.quantity(),
                linesApply ? or(word.currentPeriodStart(), stored.currentPeriodStart()) : stored.currentPeriodStart(),
                linesApply ? or(word.currentPeriodEnd(), stored.currentPeriodEnd()) : stored.currentPeriodEnd(),
                stored.cancelAtPeriodEnd(), stored.cancelAt(), stored.canceledAt(), stored.trialEnd(),
                latest(stored.lastEventAt(), at),
                statusApplies ? at : stored.statusEventAt(), stored.snapshotEventAt());
    }

    /** Later {@code created}; in the same second a later period start; with the same period, a status not before. */
    private static boolean newerSubscriptionWord(SubscriptionRecord stored, SubscriptionState word) {
        if (stored.snapshotEventAt() == null) {
            return true;
        }
        int byCreated = word.eventCreated().compareTo(stored.snapshotEventAt());
        if (byCreated != 0) {
            return byCreated > 0;
        }
        OffsetDateTime wordStart = word.currentPeriodStart();
        OffsetDateTime storedStart = stored.currentPeriodStart();
        if (wordStart != null && storedStart != null && !wordStart.isEqual(storedStart)) {
            return wordStart.isAfter(storedStart);
        }
        return rank(word.status()) >= rank(stored.status());
    }

    /**
     * Whether a status said at {@code at} is newer than the stored one: later, or in the same second further along
     * (a subscription's own word also when level with the stored status, an invoice's inference only when beyond it).
     */
    private static boolean newerStatus(SubscriptionRecord stored, String status, OffsetDateTime at,
            boolean fromSubscription) {
        int byCreated = at.compareTo(stored.statusClock());
        if (byCreated != 0) {
            return byCreated > 0;
        }
        int byRank = Integer.compare(rank(status), rank(stored.status()));
        return fromSubscription ? byRank >= 0 : byRank > 0;
    }

    /** How far along Stripe's lifecycle a status is; statuses of one rank can follow each other either way. */
    static int rank(String status) {
        if (status == null) {
            return -1;
        }
        return switch (status) {
            case "incomplete" -> 0;
            case "trialing" -> 1;
            case "canceled", "incomplete_expired" -> 3;
            default -> 2;
        };
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static OffsetDateTime latest(OffsetDateTime a, OffsetDateTime b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
