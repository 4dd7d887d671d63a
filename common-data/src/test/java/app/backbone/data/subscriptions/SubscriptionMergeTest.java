package app.backbone.data.subscriptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class SubscriptionMergeTest {

    private static final OffsetDateTime T = OffsetDateTime.of(2026, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final OffsetDateTime PERIOD_1 = T.minusDays(1);
    private static final OffsetDateTime PERIOD_2 = PERIOD_1.plusMonths(1);

    private static SubscriptionState subscription(String status, String price, int quantity,
            OffsetDateTime periodStart, OffsetDateTime created) {
        return new SubscriptionState("sub_1", "cus_1", status, price, "prod_1", quantity, periodStart,
                periodStart.plusMonths(1), false, null, null, null, created, true);
    }

    private static SubscriptionState cancellingAtPeriodEnd(OffsetDateTime created) {
        return new SubscriptionState("sub_1", "cus_1", "active", "price_basic", "prod_1", 1, PERIOD_1,
                PERIOD_2, true, PERIOD_2, created, null, created, true);
    }

    private static SubscriptionRecord apply(SubscriptionRecord stored, SubscriptionState word) {
        SubscriptionRecord merged = SubscriptionMerge.merge(stored, word);
        return merged == null ? stored : merged;
    }

    @Test
    void firstWordMakesTheRowWithEveryField() {
        SubscriptionRecord row = SubscriptionMerge.merge(null, cancellingAtPeriodEnd(T));
        assertEquals("active", row.status());
        assertEquals("price_basic", row.priceId());
        assertEquals("prod_1", row.productId());
        assertEquals(1, row.quantity());
        assertEquals(PERIOD_1, row.currentPeriodStart());
        assertEquals(PERIOD_2, row.currentPeriodEnd());
        assertTrue(row.cancelAtPeriodEnd());
        assertEquals(PERIOD_2, row.cancelAt());
        assertEquals(T, row.canceledAt());
        assertEquals(T, row.lastEventAt());
        assertEquals(T, row.statusEventAt());
        assertEquals(T, row.snapshotEventAt());
    }

    @Test
    void wordWithoutAStatusMakesNoRowAndKeepsTheStoredStatus() {
        assertNull(SubscriptionMerge.merge(null, new SubscriptionState("sub_1", "cus_1", null, "price_basic", PERIOD_2,
                T, true)));
        SubscriptionRecord row = SubscriptionMerge.merge(null, subscription("active", "price_basic", 1, PERIOD_1, T));
        SubscriptionRecord later = SubscriptionMerge.merge(row, new SubscriptionState("sub_1", "cus_1", null,
                "price_pro", PERIOD_2, T.plusSeconds(1), true));
        assertEquals("active", later.status());
        assertEquals("price_pro", later.priceId());
    }

    @Test
    void olderSubscriptionWordChangesNothing() {
        SubscriptionRecord row = SubscriptionMerge.merge(null, subscription("active", "price_pro", 3, PERIOD_1, T));
        assertNull(SubscriptionMerge.merge(row, subscription("incomplete", "price_basic", 1, PERIOD_1,
                T.minusSeconds(1))));
        assertNull(SubscriptionMerge.merge(row, cancellingAtPeriodEnd(T.minusSeconds(5))));
    }

    @Test
    void newerWordTakesItsCancellationAndTrialAsSent() {
        SubscriptionRecord row = SubscriptionMerge.merge(null, cancellingAtPeriodEnd(T));
        // The cancellation was undone: Stripe sends the fields as null/false again.
        row = SubscriptionMerge.merge(row, subscription("active", "price_basic", 1, PERIOD_1, T.plusSeconds(10)));
        assertFalse(row.cancelAtPeriodEnd());
        assertNull(row.cancelAt());
        assertNull(row.canceledAt());
    }

    @Test
    void sameSecondWordsAreOrderedByPeriodThenByStatus() {
        SubscriptionRecord renewed = SubscriptionMerge.merge(null, subscription("active", "price_basic", 1, PERIOD_2,
                T));
        assertNull(SubscriptionMerge.merge(renewed, subscription("active", "price_pro", 1, PERIOD_1, T)),
                "the older period in the same second is refused");
        assertEquals("price_pro",
                SubscriptionMerge.merge(renewed, subscription("active", "price_pro", 1, PERIOD_2, T)).priceId(),
                "the same period and a status as far along: the later delivery wins");

        SubscriptionRecord active = SubscriptionMerge.merge(null, subscription("active", "price_basic", 1, PERIOD_1,
                T));
        assertNull(SubscriptionMerge.merge(active, subscription("incomplete", "price_basic", 1, PERIOD_1, T)),
                "created (incomplete) delivered after updated (active) of the same second");
    }

    @Test
    void canceledIsFinal() {
        SubscriptionRecord row = SubscriptionMerge.merge(null, subscription("canceled", "price_basic", 1, PERIOD_1,
                T));
        assertNull(SubscriptionMerge.merge(row, subscription("active", "price_basic", 1, PERIOD_1, T)));
        SubscriptionRecord later = apply(row, subscription("active", "price_pro", 1, PERIOD_2, T.plusSeconds(60)));
        assertEquals("canceled", later.status(), "no word revives it, however new");
        assertEquals("canceled", apply(row, SubscriptionState.fromInvoice("sub_1", "cus_1", "active", "price_basic",
                PERIOD_1, PERIOD_2, T.plusSeconds(90))).status());
    }

    @Test
    void invoiceMovesTheStatusOnlyAsAnInvoiceCanAndNeverItsPlanOnceTheSubscriptionSpoke() {
        SubscriptionRecord row = SubscriptionMerge.merge(null, subscription("active", "price_pro", 2, PERIOD_1, T));
        SubscriptionRecord failed = SubscriptionMerge.merge(row, SubscriptionState.fromInvoice("sub_1", "cus_1",
                "past_due", "price_basic", PERIOD_1, PERIOD_2, T.plusSeconds(5)));
        assertEquals("past_due", failed.status());
        assertEquals("price_pro", failed.priceId(), "an invoice line (a proration) does not name the plan");
        assertEquals(T.plusSeconds(5), failed.statusEventAt());
        assertEquals(T, failed.snapshotEventAt());

        // A subscription word older than the invoice still brings its fields, but not its older status.
        SubscriptionRecord late = SubscriptionMerge.merge(failed, new SubscriptionState("sub_1", "cus_1", "active",
                "price_pro", "prod_1", 2, PERIOD_1, PERIOD_2, true, PERIOD_2, T.plusSeconds(2), null,
                T.plusSeconds(2), true));
        assertEquals("past_due", late.status());
        assertTrue(late.cancelAtPeriodEnd());

        SubscriptionRecord trialing = SubscriptionMerge.merge(null, subscription("trialing", "price_pro", 1, PERIOD_1,
                T));
        assertNull(SubscriptionMerge.merge(trialing, SubscriptionState.fromInvoice("sub_1", "cus_1", null, null, null,
                null, T.plusSeconds(1))), "a free invoice implies nothing");
        SubscriptionRecord incomplete = SubscriptionMerge.merge(null, subscription("incomplete", "price_pro", 1,
                PERIOD_1, T));
        assertNull(SubscriptionMerge.merge(incomplete, SubscriptionState.fromInvoice("sub_1", "cus_1", "past_due",
                null, null, null, T.plusSeconds(1))), "a first payment that fails leaves it incomplete");
        assertEquals("active", SubscriptionMerge.merge(incomplete, SubscriptionState.fromInvoice("sub_1", "cus_1",
                "active", null, null, null, T)).status(), "paid in the same second as created: further along");
    }

    @Test
    void changeNamesWhatHappened() {
        SubscriptionRecord incomplete = SubscriptionMerge.merge(null, subscription("incomplete", "price_basic", 1,
                PERIOD_1, T));
        SubscriptionRecord active = SubscriptionMerge.merge(incomplete, subscription("active", "price_basic", 1,
                PERIOD_1, T.plusSeconds(1)));
        assertTrue(new SubscriptionChange(incomplete, active).started());
        assertFalse(new SubscriptionChange(null, incomplete).started());

        SubscriptionRecord pro = SubscriptionMerge.merge(active, subscription("active", "price_pro", 1, PERIOD_1,
                T.plusSeconds(2)));
        assertTrue(new SubscriptionChange(active, pro).planChanged());
        assertFalse(new SubscriptionChange(active, pro).quantityChanged());
        SubscriptionRecord seats = SubscriptionMerge.merge(pro, subscription("active", "price_pro", 5, PERIOD_1,
                T.plusSeconds(3)));
        assertTrue(new SubscriptionChange(pro, seats).quantityChanged());

        SubscriptionRecord ending = SubscriptionMerge.merge(active, cancellingAtPeriodEnd(T.plusSeconds(4)));
        assertTrue(new SubscriptionChange(active, ending).cancellationScheduled());
        SubscriptionRecord ended = SubscriptionMerge.merge(ending, subscription("canceled", "price_basic", 1,
                PERIOD_1, T.plusSeconds(5)));
        assertTrue(new SubscriptionChange(ending, ended).ended());
        assertFalse(new SubscriptionChange(ending, ended).cancellationScheduled());
        assertFalse(new SubscriptionChange(ending, null).ended());
    }
}
