package app.backbone.webhook;

import static app.backbone.webhook.Deliveries.checkoutSession;
import static app.backbone.webhook.Deliveries.newEventId;
import static app.backbone.webhook.Deliveries.paymentStatus;
import static app.backbone.webhook.Deliveries.pendingPayment;
import static app.backbone.webhook.Deliveries.postStripe;
import static app.backbone.webhook.Deliveries.stripeEvent;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMailUtil;

import app.backbone.testing.Concurrently;
import app.backbone.testing.WebhookSignatures;
import app.backbone.testing.Management;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The subscription lifecycle from Stripe's signed events: each event's row and mail, events out of order, duplicates
 * and concurrent deliveries (one row change, one mail), and the counters.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class StripeSubscriptionLifecycleTest {

    private static final long DAY = 86400;
    private static final DateTimeFormatter MAIL_DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);
    private static final String BILLING_PAGE = "https://app.shop.test/billing";

    private final long now = Instant.now().getEpochSecond();

    @BeforeEach
    void clean() throws Exception {
        Deliveries.cleanDatabase();
        SmtpResource.purge();
    }

    // ---- what Stripe sends ----

    /** A subscription as API version 2025-03-31 shapes it: the period on its item. */
    private static Map<String, Object> subscription(String id, String customer, String status, String price,
            int quantity, long periodStart) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", "si_" + id);
        item.put("object", "subscription_item");
        item.put("price", Map.of("id", price, "object", "price", "product", "prod_" + price));
        item.put("quantity", quantity);
        item.put("current_period_start", periodStart);
        item.put("current_period_end", periodStart + 30 * DAY);
        Map<String, Object> sub = new LinkedHashMap<>();
        sub.put("id", id);
        sub.put("object", "subscription");
        sub.put("customer", customer);
        sub.put("status", status);
        sub.put("cancel_at_period_end", false);
        sub.put("cancel_at", null);
        sub.put("canceled_at", null);
        sub.put("trial_end", null);
        sub.put("items", Map.of("object", "list", "data", List.of(item)));
        return sub;
    }

    private static Map<String, Object> invoice(String id, String customer, String subscription, long amount,
            String email) {
        Map<String, Object> invoice = new LinkedHashMap<>();
        invoice.put("id", id);
        invoice.put("object", "invoice");
        invoice.put("number", "INV-" + id.substring(3).toUpperCase(Locale.ROOT));
        invoice.put("customer", customer);
        invoice.put("customer_email", email);
        invoice.put("currency", "usd");
        invoice.put("amount_due", amount);
        invoice.put("amount_paid", amount);
        invoice.put("billing_reason", "subscription_cycle");
        invoice.put("attempt_count", 1);
        invoice.put("hosted_invoice_url", "https://invoice.stripe.test/i/" + id);
        invoice.put("invoice_pdf", "https://pay.stripe.test/invoice/" + id + "/pdf");
        invoice.put("parent", Map.of("type", "subscription_details",
                "subscription_details", Map.of("subscription", subscription)));
        invoice.put("lines", Map.of("data", List.of(Map.of(
                "pricing", Map.of("price_details", Map.of("price", "price_basic")),
                "period", Map.of("start", 1767225600L, "end", 1769904000L)))));
        return invoice;
    }

    private static void mapCustomer(String customer, String clerkUserId, String email) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("id", customer);
        object.put("object", "customer");
        object.put("email", email);
        object.put("metadata", Map.of("clerk_user_id", clerkUserId));
        postStripe(stripeEvent(newEventId(), "customer.created", object)).then().statusCode(200);
    }

    private static void deliver(String type, long created, Map<String, Object> object) {
        postStripe(stripeEvent(newEventId(), type, created, object)).then().statusCode(200)
                .body("received", equalTo(true)).body("duplicate", nullValue());
    }

    // ---- what we hold ----

    private static Map<String, Object> row(String id) {
        List<Map<String, Object>> rows = Sql.rows("""
                SELECT stripe_customer_id, status, price_id, product_id, quantity, current_period_start,
                       current_period_end, cancel_at_period_end, cancel_at, canceled_at, trial_end, last_event_at,
                       updated_at
                  FROM subscriptions WHERE id = ?""", id);
        assertEquals(1, rows.size());
        return rows.get(0);
    }

    private static OffsetDateTime utc(long epochSeconds) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
    }

    private static OffsetDateTime at(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? null
                : OffsetDateTime.ofInstant(((java.sql.Timestamp) value).toInstant(), ZoneOffset.UTC);
    }

    private static List<MimeMessage> mailsAfterDispatch(int expected) throws Exception {
        await().atMost(Duration.ofSeconds(15))
                .until(() -> SmtpResource.mail().getReceivedMessages().length >= expected);
        // The dispatcher polls every 200 ms in tests: a mail too many would be here within a second.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> SmtpResource.mail().getReceivedMessages().length == expected);
        return List.of(SmtpResource.mail().getReceivedMessages());
    }

    private static double metric(String name, String label) {
        String metrics = Management.given().get("/q/metrics").asString();
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+]+)").matcher(metrics);
        while (m.find()) {
            if (label == null || (m.group(1) != null && m.group(1).contains(label))) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }

    // ---- subscription events ----

    @Test
    void createdSubscriptionRecordsEveryField() {
        Map<String, Object> sub = subscription("sub_new", "cus_new", "trialing", "price_pro", 3, now);
        sub.put("trial_end", now + 14 * DAY);
        double started = metric("subscriptions_started_total", null);

        deliver("customer.subscription.created", now, sub);

        Map<String, Object> row = row("sub_new");
        assertEquals("cus_new", row.get("stripe_customer_id"));
        assertEquals("trialing", row.get("status"));
        assertEquals("price_pro", row.get("price_id"));
        assertEquals("prod_price_pro", row.get("product_id"));
        assertEquals(3, row.get("quantity"));
        assertEquals(utc(now), at(row, "current_period_start"));
        assertEquals(utc(now + 30 * DAY), at(row, "current_period_end"));
        assertEquals(false, row.get("cancel_at_period_end"));
        assertNull(row.get("cancel_at"));
        assertEquals(utc(now + 14 * DAY), at(row, "trial_end"));
        assertEquals(utc(now), at(row, "last_event_at"));
        assertEquals(started + 1, metric("subscriptions_started_total", null));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void periodOnTheSubscriptionItselfIsReadToo() {
        // Before API version 2025-03-31 the period was on the subscription, and the price also as a plan.
        Map<String, Object> sub = subscription("sub_old_api", "cus_old", "active", "price_basic", 1, now);
        sub.put("current_period_start", now - DAY);
        sub.put("current_period_end", now + 29 * DAY);
        deliver("customer.subscription.created", now, sub);
        Map<String, Object> row = row("sub_old_api");
        assertEquals(utc(now - DAY), at(row, "current_period_start"));
        assertEquals(utc(now + 29 * DAY), at(row, "current_period_end"));
    }

    @Test
    void updatedSubscriptionChangesPlanSeatsAndCancellation() {
        deliver("customer.subscription.created", now, subscription("sub_up", "cus_up", "active", "price_basic", 1,
                now));
        double plan = metric("subscriptions_changed_total", "change=\"plan\"");
        double quantity = metric("subscriptions_changed_total", "change=\"quantity\"");
        double scheduled = metric("subscriptions_cancelled_total", "kind=\"scheduled\"");

        deliver("customer.subscription.updated", now + 1, subscription("sub_up", "cus_up", "active", "price_pro", 1,
                now));
        deliver("customer.subscription.updated", now + 2, subscription("sub_up", "cus_up", "active", "price_pro", 5,
                now));
        Map<String, Object> cancelling = subscription("sub_up", "cus_up", "active", "price_pro", 5, now);
        cancelling.put("cancel_at_period_end", true);
        cancelling.put("cancel_at", now + 30 * DAY);
        cancelling.put("canceled_at", now + 3);
        deliver("customer.subscription.updated", now + 3, cancelling);

        Map<String, Object> row = row("sub_up");
        assertEquals("active", row.get("status"));
        assertEquals("price_pro", row.get("price_id"));
        assertEquals(5, row.get("quantity"));
        assertEquals(true, row.get("cancel_at_period_end"));
        assertEquals(utc(now + 30 * DAY), at(row, "cancel_at"));
        assertEquals(utc(now + 3), at(row, "canceled_at"));
        assertEquals(plan + 1, metric("subscriptions_changed_total", "change=\"plan\""));
        assertEquals(quantity + 1, metric("subscriptions_changed_total", "change=\"quantity\""));
        assertEquals(scheduled + 1, metric("subscriptions_cancelled_total", "kind=\"scheduled\""));

        // Undone in the portal: Stripe sends the fields empty again.
        deliver("customer.subscription.updated", now + 4, subscription("sub_up", "cus_up", "active", "price_pro", 5,
                now));
        row = row("sub_up");
        assertEquals(false, row.get("cancel_at_period_end"));
        assertNull(row.get("cancel_at"));
        assertNull(row.get("canceled_at"));
    }

    @Test
    void olderUpdatedAfterANewerOneChangesNothing() {
        deliver("customer.subscription.updated", now, subscription("sub_ooo", "cus_o", "active", "price_pro", 2,
                now));
        Map<String, Object> before = row("sub_ooo");

        deliver("customer.subscription.updated", now - 30, subscription("sub_ooo", "cus_o", "incomplete",
                "price_basic", 1, now - 30 * DAY));

        assertEquals(before, row("sub_ooo"));
        assertEquals(2, Sql.count("SELECT count(*) FROM webhook_events WHERE processed_at IS NOT NULL"));
    }

    @Test
    void sameSecondUpdatesAreOrderedByTheirPeriod() {
        // A renewal and the update before it, both in one second, delivered newest first.
        deliver("customer.subscription.updated", now, subscription("sub_tie", "cus_t", "active", "price_pro", 1,
                now));
        Map<String, Object> before = row("sub_tie");
        deliver("customer.subscription.updated", now, subscription("sub_tie", "cus_t", "active", "price_basic", 1,
                now - 30 * DAY));
        assertEquals(before, row("sub_tie"));

        // created (incomplete) after updated (active) of the same second and period: still active.
        deliver("customer.subscription.created", now, subscription("sub_tie", "cus_t", "incomplete", "price_pro", 1,
                now));
        assertEquals("active", row("sub_tie").get("status"));
    }

    @Test
    void deletedThenALateUpdatedStaysCanceled() {
        deliver("customer.subscription.created", now - 60, subscription("sub_del", "cus_d", "active", "price_basic",
                1, now - DAY));
        double ended = metric("subscriptions_cancelled_total", "kind=\"ended\"");
        Map<String, Object> canceled = subscription("sub_del", "cus_d", "canceled", "price_basic", 1, now - DAY);
        canceled.put("canceled_at", now);
        deliver("customer.subscription.deleted", now, canceled);
        Map<String, Object> before = row("sub_del");

        // Created before the deletion, delivered after it; then one made in the same second.
        deliver("customer.subscription.updated", now - 10, subscription("sub_del", "cus_d", "active", "price_pro", 4,
                now - DAY));
        deliver("customer.subscription.updated", now, subscription("sub_del", "cus_d", "active", "price_pro", 4,
                now - DAY));

        assertEquals(before, row("sub_del"));
        assertEquals("canceled", before.get("status"));
        assertEquals(utc(now), at(before, "canceled_at"));
        assertEquals(ended + 1, metric("subscriptions_cancelled_total", "kind=\"ended\""));
    }

    @Test
    void eventsForOneSubscriptionAppliedAtOnceEndInTheNewestState() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            bodies.add(stripeEvent(newEventId(), "customer.subscription.updated", now + i,
                    subscription("sub_race", "cus_r", "active", "price_" + i, i + 1, now)));
        }
        Collections.shuffle(bodies);
        AtomicInteger next = new AtomicInteger();
        // Slow each write of the row, so the deliveries really overlap inside their transactions.
        Sql.update("""
                CREATE FUNCTION webhook_test_slow() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_sleep(0.2); RETURN NEW; END $$""");
        Sql.update("CREATE TRIGGER webhook_test_slow BEFORE INSERT OR UPDATE ON subscriptions FOR EACH ROW "
                + "EXECUTE FUNCTION webhook_test_slow()");
        List<Response> answers;
        try {
            answers = Concurrently.run(bodies.size(), () -> postStripe(bodies.get(next.getAndIncrement())));
        } finally {
            Sql.update("DROP TRIGGER webhook_test_slow ON subscriptions");
            Sql.update("DROP FUNCTION webhook_test_slow()");
        }

        answers.forEach(a -> assertEquals(200, a.statusCode(), a.asString()));
        Map<String, Object> row = row("sub_race");
        assertEquals("price_7", row.get("price_id"));
        assertEquals(8, row.get("quantity"));
        assertEquals(utc(now + 7), at(row, "last_event_at"));
        assertEquals(8, Sql.count("SELECT count(*) FROM webhook_events WHERE processed_at IS NOT NULL"));
    }

    @Test
    void checkoutSessionInSubscriptionModeIsNotAPayment() {
        // Even naming a pending payment of ours with its exact amount, a subscription's session settles nothing.
        String reference = pendingPayment("stripe", 15, "USD");
        Map<String, Object> session = checkoutSession(reference, 1500, "usd", "paid");
        session.put("mode", "subscription");
        session.put("subscription", "sub_from_checkout");
        session.put("customer", "cus_checkout");

        deliver("checkout.session.completed", now, session);

        assertEquals("pending", paymentStatus(reference));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
        assertEquals(0, Sql.count("SELECT count(*) FROM subscriptions"));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events WHERE processed_at IS NOT NULL"));
    }

    // ---- invoices ----

    @Test
    void paidInvoiceActivatesTheSubscriptionAndMailsAReceiptWithTheInvoiceLink() throws Exception {
        deliver("customer.subscription.created", now, subscription("sub_paid", "cus_paid", "incomplete",
                "price_basic", 1, now));
        double paid = metric("invoices_paid_total", null);
        double started = metric("subscriptions_started_total", null);

        deliver("invoice.payment_succeeded", now + 1, invoice("in_paid1", "cus_paid", "sub_paid", 1250,
                "payer@example.com"));

        assertEquals("active", row("sub_paid").get("status"));
        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox WHERE dedupe_key = 'invoice-receipt:in_paid1'"));
        MimeMessage receipt = mailsAfterDispatch(1).get(0);
        assertEquals("payer@example.com", receipt.getAllRecipients()[0].toString());
        assertEquals("Your subscription payment receipt", receipt.getSubject());
        String body = GreenMailUtil.getBody(receipt);
        assertTrue(body.contains("https://invoice.stripe.test/i/in_paid1"), body);
        assertTrue(body.contains("12.50 USD"), body);
        assertTrue(body.contains("INV-PAID1"), body);
        assertFalse(body.contains("cus_paid") || body.contains("sub_paid"), "no ids in the mail: " + body);
        assertEquals(paid + 1, metric("invoices_paid_total", null));
        assertEquals(started + 1, metric("subscriptions_started_total", null));
    }

    @Test
    void receiptOfAThreeDecimalCurrencyShowsTheAmountInDinars() throws Exception {
        deliver("customer.subscription.created", now, subscription("sub_kwd", "cus_kwd", "active", "price_kwd", 1,
                now));
        Map<String, Object> invoice = invoice("in_kwd1", "cus_kwd", "sub_kwd", 12340, "payer@example.com");
        invoice.put("currency", "kwd");

        deliver("invoice.payment_succeeded", now + 1, invoice);

        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox WHERE dedupe_key = 'invoice-receipt:in_kwd1'"));
        String body = GreenMailUtil.getBody(mailsAfterDispatch(1).get(0));
        assertTrue(body.contains("12.340 KWD"), body);
        assertFalse(body.contains("123.40"), "fils are thousandths, not hundredths: " + body);
    }

    @Test
    void failedInvoiceOfAZeroDecimalCurrencyShowsWholeYen() throws Exception {
        deliver("customer.subscription.created", now, subscription("sub_jpy", "cus_jpy", "active", "price_jpy", 1,
                now));
        Map<String, Object> invoice = invoice("in_jpy1", "cus_jpy", "sub_jpy", 1500, "payer@example.com");
        invoice.put("currency", "jpy");
        invoice.put("amount_paid", 0);

        deliver("invoice.payment_failed", now + 1, invoice);

        assertEquals("past_due", row("sub_jpy").get("status"));
        MimeMessage mail = mailsAfterDispatch(1).get(0);
        assertEquals("Please update your card", mail.getSubject());
        String body = GreenMailUtil.getBody(mail);
        assertTrue(body.contains("Amount due: 1500 JPY"), body);
    }

    @Test
    void receiptGoesToTheMappedCustomersEmailWhenTheInvoiceNamesNone() throws Exception {
        mapCustomer("cus_map", "user_map", "mapped@example.com");
        deliver("customer.subscription.created", now, subscription("sub_map", "cus_map", "active", "price_basic", 1,
                now));

        deliver("invoice.payment_succeeded", now + 1, invoice("in_map1", "cus_map", "sub_map", 900, null));

        MimeMessage receipt = mailsAfterDispatch(1).get(0);
        assertEquals("mapped@example.com", receipt.getAllRecipients()[0].toString());
        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox WHERE to_address = 'mapped@example.com'"));
    }

    @Test
    void freeInvoiceMailsNothingAndLeavesATrialTrialing() throws Exception {
        deliver("customer.subscription.created", now, subscription("sub_free", "cus_free", "trialing", "price_basic",
                1, now));
        Map<String, Object> free = invoice("in_free1", "cus_free", "sub_free", 0, "payer@example.com");
        free.put("billing_reason", "subscription_create");
        double paid = metric("invoices_paid_total", null);

        deliver("invoice.payment_succeeded", now + 1, free);

        assertEquals("trialing", row("sub_free").get("status"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
        assertEquals(paid + 1, metric("invoices_paid_total", null));
    }

    @Test
    void failedInvoiceMakesItPastDueAndAsksForANewCardOncePerAttempt() throws Exception {
        deliver("customer.subscription.created", now, subscription("sub_fail", "cus_fail", "active", "price_basic", 1,
                now));
        double failed = metric("invoices_failed_total", null);
        Map<String, Object> first = invoice("in_fail1", "cus_fail", "sub_fail", 2000, "payer@example.com");
        first.put("amount_paid", 0);
        first.put("next_payment_attempt", now + 3 * DAY);

        deliver("invoice.payment_failed", now + 1, first);

        assertEquals("past_due", row("sub_fail").get("status"));
        MimeMessage mail = mailsAfterDispatch(1).get(0);
        assertEquals("payer@example.com", mail.getAllRecipients()[0].toString());
        assertEquals("Please update your card", mail.getSubject());
        String body = GreenMailUtil.getBody(mail);
        assertTrue(body.contains(BILLING_PAGE), body);
        assertTrue(body.contains("https://invoice.stripe.test/i/in_fail1"), body);
        assertTrue(body.contains("20.00 USD"), body);
        assertTrue(body.contains(MAIL_DAY.format(utc(now + 3 * DAY))), body);

        // Stripe's retry fails too: a new event, a new attempt, a second mail.
        Map<String, Object> second = new LinkedHashMap<>(first);
        second.put("attempt_count", 2);
        deliver("invoice.payment_failed", now + 3 * DAY, second);
        assertEquals(2, mailsAfterDispatch(2).size());
        assertEquals(2, Sql.count("SELECT count(*) FROM email_outbox WHERE dedupe_key LIKE 'invoice-payment-failed:in_fail1:%'"));
        assertEquals(failed + 2, metric("invoices_failed_total", null));
    }

    @Test
    void failedAttemptDeliveredAfterTheInvoiceWasPaidAsksForNothing() throws Exception {
        deliver("customer.subscription.created", now, subscription("sub_late", "cus_late", "active", "price_basic", 1,
                now));
        Map<String, Object> paid = invoice("in_late1", "cus_late", "sub_late", 2000, "payer@example.com");
        deliver("invoice.payment_succeeded", now + 10, paid);
        assertEquals(1, mailsAfterDispatch(1).size(), "the receipt");
        Map<String, Object> failedEarlier = invoice("in_late1", "cus_late", "sub_late", 2000, "payer@example.com");
        failedEarlier.put("amount_paid", 0);

        // Stripe delivers the first, failed attempt (created before the payment) after the payment.
        deliver("invoice.payment_failed", now + 5, failedEarlier);

        assertEquals("active", row("sub_late").get("status"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox WHERE dedupe_key LIKE 'invoice-payment-failed:%'"));
        assertEquals(1, mailsAfterDispatch(1).size(), "still only the receipt");
    }

    @Test
    void failedInvoiceOfACanceledSubscriptionAsksForNothing() throws Exception {
        deliver("customer.subscription.deleted", now, subscription("sub_gone", "cus_gone", "canceled", "price_basic",
                1, now));
        Map<String, Object> failedInvoice = invoice("in_gone1", "cus_gone", "sub_gone", 2000, "payer@example.com");
        failedInvoice.put("amount_paid", 0);

        deliver("invoice.payment_failed", now + 1, failedInvoice);

        assertEquals("canceled", row("sub_gone").get("status"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void duplicateInvoiceDeliveryChangesTheRowOnceAndMailsOnce() throws Exception {
        deliver("customer.subscription.created", now, subscription("sub_dup", "cus_dup", "past_due", "price_basic", 1,
                now));
        String body = stripeEvent(newEventId(), "invoice.payment_succeeded", now + 1,
                invoice("in_dup1", "cus_dup", "sub_dup", 1500, "payer@example.com"));
        double paid = metric("invoices_paid_total", null);
        postStripe(body).then().statusCode(200).body("duplicate", nullValue());
        Object updatedAt = row("sub_dup").get("updated_at");

        postStripe(body).then().statusCode(200).body("received", equalTo(true)).body("duplicate", equalTo(true));

        assertEquals("active", row("sub_dup").get("status"));
        assertEquals(updatedAt, row("sub_dup").get("updated_at"));
        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox"));
        assertEquals(1, mailsAfterDispatch(1).size());
        assertEquals(paid + 1, metric("invoices_paid_total", null));
    }

    @Test
    void concurrentDuplicateDeliveriesApplyOnceAndMailOnce() throws Exception {
        deliver("customer.subscription.created", now, subscription("sub_burst", "cus_burst", "incomplete",
                "price_basic", 1, now));
        String body = stripeEvent(newEventId(), "invoice.payment_succeeded", now + 1,
                invoice("in_burst1", "cus_burst", "sub_burst", 4200, "payer@example.com"));
        String signature = WebhookSignatures.stripe(Deliveries.STRIPE_SECRET, Instant.now().getEpochSecond(), body);
        double paid = metric("invoices_paid_total", null);
        double started = metric("subscriptions_started_total", null);

        List<Response> answers = Concurrently.run(12, () -> postStripe(body, signature));

        answers.forEach(a -> assertEquals(200, a.statusCode(), a.asString()));
        assertEquals(1, answers.stream().filter(a -> a.path("duplicate") == null).count());
        assertEquals(11, answers.stream().filter(a -> Boolean.TRUE.equals(a.path("duplicate"))).count());
        assertEquals("active", row("sub_burst").get("status"));
        assertEquals(utc(now + 1), at(row("sub_burst"), "last_event_at"));
        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox"));
        assertEquals(1, mailsAfterDispatch(1).size());
        assertEquals(paid + 1, metric("invoices_paid_total", null));
        assertEquals(started + 1, metric("subscriptions_started_total", null));
    }

    // ---- trial ----

    @Test
    void trialWillEndMailsAReminderWithTheDate() throws Exception {
        mapCustomer("cus_trial", "user_trial", "trial@example.com");
        Map<String, Object> sub = subscription("sub_trial", "cus_trial", "trialing", "price_pro", 1, now);
        sub.put("trial_end", now + 3 * DAY);
        String body = stripeEvent(newEventId(), "customer.subscription.trial_will_end", now, sub);

        postStripe(body).then().statusCode(200).body("duplicate", nullValue());
        postStripe(body).then().statusCode(200).body("duplicate", equalTo(true));

        assertEquals("trialing", row("sub_trial").get("status"));
        assertEquals(utc(now + 3 * DAY), at(row("sub_trial"), "trial_end"));
        List<MimeMessage> mails = mailsAfterDispatch(1);
        assertEquals(1, mails.size());
        assertEquals("trial@example.com", mails.get(0).getAllRecipients()[0].toString());
        assertEquals("Your free trial ends soon", mails.get(0).getSubject());
        String text = GreenMailUtil.getBody(mails.get(0));
        assertTrue(text.contains(MAIL_DAY.format(utc(now + 3 * DAY))), text);
        assertTrue(text.contains(BILLING_PAGE), text);
    }

    @Test
    void trialReminderDeliveredAfterTheCancellationMailsNothing() throws Exception {
        mapCustomer("cus_trial2", "user_trial2", "trial2@example.com");
        Map<String, Object> sub = subscription("sub_trial2", "cus_trial2", "trialing", "price_pro", 1, now);
        sub.put("trial_end", now + 3 * DAY);
        Map<String, Object> canceled = new LinkedHashMap<>(sub);
        canceled.put("status", "canceled");
        deliver("customer.subscription.deleted", now + 5, canceled);

        deliver("customer.subscription.trial_will_end", now, sub);

        assertEquals("canceled", row("sub_trial2").get("status"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }
}
