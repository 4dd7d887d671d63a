package app.backbone.webhook;

import static app.backbone.webhook.Deliveries.newEventId;
import static app.backbone.webhook.Deliveries.paystackEvent;
import static app.backbone.webhook.Deliveries.postPaystack;
import static app.backbone.webhook.Deliveries.postStripe;
import static app.backbone.webhook.Deliveries.stripeEvent;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMailUtil;

import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The providers' documented event sequences, replayed as signed webhooks: Stripe Checkout in payment mode (a declined
 * card is one attempt in an open session; delayed methods; refunds and disputes on the charge) and Paystack
 * (a transaction seen failed or abandoned can still succeed; refunds). Each sequence is also delivered out of order
 * and twice.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class PaymentSequencesTest {

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void clean() throws Exception {
        Deliveries.cleanDatabase();
        SmtpResource.purge();
    }

    @Test
    void declinedCardThenAnotherCardIsPaidAndMailedOnce() throws Exception {
        Checkout checkout = Checkout.open("stripe", 1500, "USD");
        deliverTwice(checkout.event("payment_intent.payment_failed", checkout.declinedIntent("card_declined")));
        Map<String, Object> afterDecline = checkout.row();
        assertEquals("pending", afterDecline.get("status"));
        assertEquals(checkout.intentId, afterDecline.get("provider_payment_id"));
        assertTrue(((String) afterDecline.get("notes")).contains("declined an attempt: card_declined"),
                (String) afterDecline.get("notes"));

        deliverTwice(checkout.event("checkout.session.completed", checkout.session("complete", "paid")));

        Map<String, Object> paid = checkout.row();
        assertEquals("success", paid.get("status"));
        assertNotNull(paid.get("paid_at"));
        assertEquals(1, receiptsFor(checkout.reference));
        assertEquals(2, Sql.count("SELECT count(*) FROM webhook_events WHERE processed_at IS NOT NULL"));
    }

    @Test
    void declineAfterThePaymentLeavesItPaid() throws Exception {
        Checkout checkout = Checkout.open("stripe", 1500, "USD");
        long now = Instant.now().getEpochSecond();
        postStripe(checkout.event("checkout.session.completed", now, checkout.session("complete", "paid")))
                .then().statusCode(200);
        // Delivered late: the decline happened before the card that paid.
        postStripe(checkout.event("payment_intent.payment_failed", now - 30, checkout.declinedIntent("expired_card")))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals("success", checkout.row().get("status"));
        assertEquals(1, receiptsFor(checkout.reference));
    }

    @Test
    void declinedCardThenExpiredSessionCancelsThePayment() {
        Checkout checkout = Checkout.open("stripe", 40, "EUR");
        deliverTwice(checkout.event("payment_intent.payment_failed", checkout.declinedIntent("insufficient_funds")));
        assertEquals("pending", checkout.row().get("status"));
        deliverTwice(checkout.event("checkout.session.expired", checkout.session("expired", "unpaid")));
        Map<String, Object> row = checkout.row();
        assertEquals("cancelled", row.get("status"));
        assertTrue(((String) row.get("notes")).contains("Stripe checkout session expired"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void moneyThatArrivesAfterTheSessionWasClosedWins() throws Exception {
        Checkout checkout = Checkout.open("stripe", 10, "USD");
        double before = lateCount("stripe", "cancelled");
        postStripe(checkout.event("checkout.session.expired", checkout.session("expired", "unpaid")))
                .then().statusCode(200);
        assertEquals("cancelled", checkout.row().get("status"));

        postStripe(checkout.event("checkout.session.async_payment_succeeded", checkout.session("complete", "paid")))
                .then().statusCode(200).body("received", equalTo(true)).body("duplicate", nullValue());

        Map<String, Object> row = checkout.row();
        assertEquals("success", row.get("status"));
        assertTrue(((String) row.get("notes")).contains("paid after it was cancelled"), (String) row.get("notes"));
        assertEquals(1, receiptsFor(checkout.reference));
        assertEquals(before + 1, lateCount("stripe", "cancelled"));
    }

    @Test
    void delayedMethodProcessingThenSucceeded() throws Exception {
        Checkout checkout = Checkout.open("stripe", 50, "EUR");
        deliverTwice(checkout.event("checkout.session.completed", checkout.session("complete", "unpaid")));
        assertEquals("processing", checkout.row().get("status"));
        assertEquals(checkout.intentId, checkout.row().get("provider_payment_id"));
        deliverTwice(checkout.event("checkout.session.async_payment_succeeded", checkout.session("complete", "paid")));
        assertEquals("success", checkout.row().get("status"));
        assertEquals(1, receiptsFor(checkout.reference));
    }

    @Test
    void delayedMethodProcessingThenFailed() {
        Checkout checkout = Checkout.open("stripe", 50, "EUR");
        postStripe(checkout.event("checkout.session.completed", checkout.session("complete", "unpaid")))
                .then().statusCode(200);
        deliverTwice(checkout.event("checkout.session.async_payment_failed", checkout.session("complete", "unpaid")));
        assertEquals("failed", checkout.row().get("status"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void delayedMethodOutcomeBeforeItsCompletionStaysTheOutcome() throws Exception {
        Checkout checkout = Checkout.open("stripe", 50, "EUR");
        long now = Instant.now().getEpochSecond();
        postStripe(checkout.event("checkout.session.async_payment_succeeded", now, checkout.session("complete",
                "paid"))).then().statusCode(200);
        postStripe(checkout.event("checkout.session.completed", now - 60, checkout.session("complete", "unpaid")))
                .then().statusCode(200);
        assertEquals("success", checkout.row().get("status"));
        assertEquals(1, receiptsFor(checkout.reference));
    }

    @Test
    void paidThenFullyRefunded() throws Exception {
        Checkout checkout = Checkout.paid("stripe", 1500, "USD");
        deliverTwice(checkout.event("charge.refunded", checkout.charge(150000)));
        Map<String, Object> row = checkout.row();
        assertEquals("refunded", row.get("status"));
        assertEquals(150000L, row.get("refunded_minor"));
        assertNotNull(row.get("refunded_at"));
        assertEquals(1, receiptsFor(checkout.reference));
    }

    @Test
    void paidThenPartlyRefundedTwice() throws Exception {
        Checkout checkout = Checkout.paid("stripe", 1500, "USD");
        long now = Instant.now().getEpochSecond();
        String first = checkout.event("charge.refunded", now, checkout.charge(50000));
        String second = checkout.event("charge.refunded", now + 10, checkout.charge(150000));
        postStripe(first).then().statusCode(200);
        assertEquals("success", checkout.row().get("status"));
        assertEquals(50000L, checkout.row().get("refunded_minor"));

        // The second refund's event first, then the first's again: the running total only grows.
        postStripe(second).then().statusCode(200);
        postStripe(first).then().statusCode(200).body("duplicate", equalTo(true));
        assertEquals("refunded", checkout.row().get("status"));
        assertEquals(150000L, checkout.row().get("refunded_minor"));
    }

    @Test
    void refundDeliveredBeforeThePaymentLeavesItRefundedWithNoReceipt() throws Exception {
        Checkout checkout = Checkout.open("stripe", 1500, "USD");
        long now = Instant.now().getEpochSecond();
        postStripe(checkout.event("charge.refunded", now, checkout.charge(150000))).then().statusCode(200);
        assertEquals("refunded", checkout.row().get("status"));
        postStripe(checkout.event("checkout.session.completed", now - 600, checkout.session("complete", "paid")))
                .then().statusCode(200);
        assertEquals("refunded", checkout.row().get("status"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void paidThenDisputedIsRecordedAndCounted() throws Exception {
        Checkout checkout = Checkout.paid("stripe", 1500, "USD");
        double before = registry.counter("payments.disputes", "provider", "stripe", "status", "needs_response")
                .count();
        deliverTwice(checkout.event("charge.dispute.created", checkout.dispute("needs_response")));
        Map<String, Object> row = checkout.row();
        assertEquals("success", row.get("status"));
        assertEquals("needs_response", row.get("dispute_status"));
        assertNotNull(row.get("disputed_at"));
        assertEquals(before + 1, registry.counter("payments.disputes", "provider", "stripe", "status",
                "needs_response").count());

        postStripe(checkout.event("charge.dispute.closed", checkout.dispute("lost"))).then().statusCode(200);
        assertEquals("lost", checkout.row().get("dispute_status"));
        assertEquals("success", checkout.row().get("status"));
    }

    @Test
    void completedSessionOfAnotherCheckoutDoesNotSettleThePayment() {
        Checkout checkout = Checkout.open("stripe", 1500, "USD");
        Map<String, Object> foreign = checkout.session("complete", "paid");
        foreign.put("id", "cs_test_someone_elses");
        postStripe(checkout.event("checkout.session.completed", foreign)).then().statusCode(200)
                .body("received", equalTo(true));
        Map<String, Object> row = checkout.row();
        assertEquals("pending", row.get("status"));
        assertNull(row.get("paid_at"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void stripeEventNamingAPaystackPaymentDoesNotSettleIt() {
        Checkout checkout = Checkout.open("paystack", 1500, "KES");
        postStripe(checkout.event("checkout.session.completed", checkout.session("complete", "paid")))
                .then().statusCode(200);
        assertEquals("pending", checkout.row().get("status"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void paystackFailedThenChargeSuccessIsPaid() throws Exception {
        for (String closed : List.of("failed", "cancelled")) {
            String reference = Deliveries.pendingPayment("paystack", 2500, "KES");
            Sql.update("UPDATE payments SET status = ? WHERE reference = ?", closed, reference);
            String body = paystackEvent("charge.success", Math.abs(UUID.randomUUID().getMostSignificantBits()),
                    reference, 250000, "KES");
            postPaystack("/webhooks/paystack", body).then().statusCode(200).body("duplicate", nullValue());
            postPaystack("/webhooks/paystack", body).then().statusCode(200).body("duplicate", equalTo(true));
            Map<String, Object> row = Sql.rows("SELECT status, notes FROM payments WHERE reference = ?", reference)
                    .get(0);
            assertEquals("success", row.get("status"));
            assertTrue(((String) row.get("notes")).contains("paid after it was " + closed));
            assertEquals(1, receiptsFor(reference));
        }
    }

    @Test
    void paystackRefundsAddUpToRefunded() {
        String reference = Deliveries.pendingPayment("paystack", 2500, "KES");
        postPaystack("/webhooks/paystack", paystackEvent("charge.success", 71, reference, 250000, "KES"))
                .then().statusCode(200);
        String partial = paystackRefund(9001, reference, 100000);
        postPaystack("/webhooks/paystack", partial).then().statusCode(200);
        postPaystack("/webhooks/paystack", partial).then().statusCode(200).body("duplicate", equalTo(true));
        Map<String, Object> row = Sql.rows("SELECT status, refunded_minor FROM payments WHERE reference = ?",
                reference).get(0);
        assertEquals("success", row.get("status"));
        assertEquals(100000L, row.get("refunded_minor"));

        postPaystack("/webhooks/paystack", paystackRefund(9002, reference, 150000)).then().statusCode(200);
        row = Sql.rows("SELECT status, refunded_minor FROM payments WHERE reference = ?", reference).get(0);
        assertEquals("refunded", row.get("status"));
        assertEquals(250000L, row.get("refunded_minor"));
    }

    private static String paystackRefund(long id, String reference, long amount) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", id);
        data.put("status", "processed");
        data.put("transaction_reference", reference);
        data.put("refund_reference", "RFND-" + id);
        data.put("amount", amount);
        data.put("currency", "KES");
        data.put("domain", "test");
        return Deliveries.json(Map.of("event", "refund.processed", "data", data));
    }

    private double lateCount(String provider, String from) {
        return registry.counter("payments.paid.after.closed", "provider", provider, "from", from).count();
    }

    /** Delivers the same signed event twice: applied once, then answered as a duplicate. */
    private static void deliverTwice(String body) {
        postStripe(body).then().statusCode(200).body("received", equalTo(true)).body("duplicate", nullValue());
        postStripe(body).then().statusCode(200).body("received", equalTo(true)).body("duplicate", equalTo(true));
    }

    /** Receipts queued and, once the outbox has sent them, received by the SMTP server for this payment. */
    private static long receiptsFor(String reference) throws Exception {
        long queued = Sql.count("SELECT count(*) FROM email_outbox WHERE dedupe_key = ?", "payment-receipt:"
                + reference);
        if (queued > 0) {
            await().atMost(Duration.ofSeconds(15)).until(() -> received(reference) >= queued);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> received(reference) == queued);
        }
        return queued;
    }

    private static long received(String reference) {
        return java.util.Arrays.stream(SmtpResource.mail().getReceivedMessages())
                .filter(m -> GreenMailUtil.getBody(m).contains(reference)).count();
    }

    /** One Stripe Checkout session in payment mode for a stored payment, and the objects its events carry. */
    private static final class Checkout {
        final String reference;
        final String sessionId = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        final String intentId = "pi_test_" + UUID.randomUUID().toString().replace("-", "");
        final String chargeId = "ch_test_" + UUID.randomUUID().toString().replace("-", "");
        final long minorAmount;
        final String currency;

        private Checkout(String reference, long minorAmount, String currency) {
            this.reference = reference;
            this.minorAmount = minorAmount;
            this.currency = currency;
        }

        /** A pending payment whose Checkout session was recorded at initiate. */
        static Checkout open(String provider, int amount, String currency) {
            String reference = Deliveries.pendingPayment(provider, amount, currency);
            Checkout checkout = new Checkout(reference, amount * 100L, currency.toLowerCase(java.util.Locale.ROOT));
            Sql.update("UPDATE payments SET provider_ref = ? WHERE reference = ?", checkout.sessionId, reference);
            return checkout;
        }

        /** A payment already paid through its session. */
        static Checkout paid(String provider, int amount, String currency) throws Exception {
            Checkout checkout = open(provider, amount, currency);
            postStripe(checkout.event("checkout.session.completed", checkout.session("complete", "paid")))
                    .then().statusCode(200);
            assertEquals("success", checkout.row().get("status"));
            return checkout;
        }

        Map<String, Object> row() {
            return Sql.rows("SELECT status, paid_at, notes, provider_payment_id, refunded_minor, refunded_at, "
                    + "dispute_status, disputed_at FROM payments WHERE reference = ?", reference).get(0);
        }

        String event(String type, Map<String, Object> object) {
            return stripeEvent(newEventId(), type, object);
        }

        String event(String type, long created, Map<String, Object> object) {
            return stripeEvent(newEventId(), type, created, object);
        }

        Map<String, Object> session(String status, String paymentStatus) {
            Map<String, Object> session = Deliveries.checkoutSession(reference, minorAmount, currency, paymentStatus);
            session.put("id", sessionId);
            session.put("mode", "payment");
            session.put("payment_intent", intentId);
            session.put("status", status);
            session.put("metadata", Map.of("reference", reference));
            return session;
        }

        Map<String, Object> declinedIntent(String declineCode) {
            Map<String, Object> intent = new LinkedHashMap<>();
            intent.put("id", intentId);
            intent.put("object", "payment_intent");
            intent.put("amount", minorAmount);
            intent.put("currency", currency);
            intent.put("status", "requires_payment_method");
            intent.put("metadata", Map.of("reference", reference));
            intent.put("last_payment_error", Map.of("type", "card_error", "code", "card_declined",
                    "decline_code", declineCode));
            return intent;
        }

        /** The charge of the payment after {@code amountRefunded} (the running total) went back. */
        Map<String, Object> charge(long amountRefunded) {
            Map<String, Object> charge = new LinkedHashMap<>();
            charge.put("id", chargeId);
            charge.put("object", "charge");
            charge.put("amount", minorAmount);
            charge.put("amount_captured", minorAmount);
            charge.put("amount_refunded", amountRefunded);
            charge.put("currency", currency);
            charge.put("payment_intent", intentId);
            charge.put("refunded", amountRefunded == minorAmount);
            charge.put("metadata", Map.of("reference", reference));
            return charge;
        }

        /** A dispute names the charge and its PaymentIntent, not our reference. */
        Map<String, Object> dispute(String status) {
            Map<String, Object> dispute = new LinkedHashMap<>();
            dispute.put("id", "dp_test_" + chargeId.substring(8, 20));
            dispute.put("object", "dispute");
            dispute.put("amount", minorAmount);
            dispute.put("currency", currency);
            dispute.put("charge", chargeId);
            dispute.put("payment_intent", intentId);
            dispute.put("reason", "fraudulent");
            dispute.put("status", status);
            dispute.put("metadata", Map.of());
            return dispute;
        }
    }
}
