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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMailUtil;

import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class StripePaymentEventsTest {

    @BeforeEach
    void clean() throws Exception {
        Deliveries.cleanDatabase();
        SmtpResource.purge();
    }

    @Test
    void completedCheckoutMarksThePaymentPaidAndMailsTheReceipt() throws Exception {
        String reference = pendingPayment("stripe", 1500, "USD");
        String id = newEventId();
        postStripe(stripeEvent(id, "checkout.session.completed", checkoutSession(reference, 150000, "usd", "paid")))
                .then().statusCode(200)
                .body("received", equalTo(true))
                .body("duplicate", nullValue());

        Map<String, Object> payment = Sql.rows("SELECT status, paid_at FROM payments WHERE reference = ?", reference)
                .get(0);
        assertEquals("success", payment.get("status"));
        assertNotNull(payment.get("paid_at"));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events WHERE event_id = ? AND event_type = "
                + "'checkout.session.completed' AND processed_at IS NOT NULL", id));
        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox WHERE dedupe_key = ?",
                "payment-receipt:" + reference));

        await().atMost(Duration.ofSeconds(15)).until(() -> SmtpResource.mail().getReceivedMessages().length == 1);
        MimeMessage receipt = SmtpResource.mail().getReceivedMessages()[0];
        assertEquals("payer@example.com", receipt.getAllRecipients()[0].toString());
        assertEquals("Thank you for your payment", receipt.getSubject());
        assertTrue(GreenMailUtil.getBody(receipt).contains(reference));
    }

    @Test
    void paymentInAThreeDecimalCurrencySettlesAndItsReceiptShowsDinars() throws Exception {
        String reference = pendingPayment("stripe", 5, "KWD");

        postStripe(stripeEvent(newEventId(), "checkout.session.completed", checkoutSession(reference, 5000, "kwd",
                "paid"))).then().statusCode(200).body("received", equalTo(true));

        assertEquals("success", paymentStatus(reference));
        await().atMost(Duration.ofSeconds(15)).until(() -> SmtpResource.mail().getReceivedMessages().length == 1);
        String body = GreenMailUtil.getBody(SmtpResource.mail().getReceivedMessages()[0]);
        assertTrue(body.contains("5.000 KWD"), body);
    }

    @Test
    void paymentInAZeroDecimalCurrencyReceiptShowsWholeYen() throws Exception {
        String reference = pendingPayment("stripe", 1500, "JPY");

        postStripe(stripeEvent(newEventId(), "checkout.session.completed", checkoutSession(reference, 1500, "jpy",
                "paid"))).then().statusCode(200).body("received", equalTo(true));

        assertEquals("success", paymentStatus(reference));
        await().atMost(Duration.ofSeconds(15)).until(() -> SmtpResource.mail().getReceivedMessages().length == 1);
        String body = GreenMailUtil.getBody(SmtpResource.mail().getReceivedMessages()[0]);
        assertTrue(body.contains("1500 JPY"), body);
    }

    @Test
    void replayedEventIsADuplicateWithNoSecondEffect() throws Exception {
        String reference = pendingPayment("stripe", 20, "EUR");
        String body = stripeEvent(newEventId(), "checkout.session.completed",
                checkoutSession(reference, 2000, "eur", "paid"));
        postStripe(body).then().statusCode(200).body("received", equalTo(true)).body("duplicate", nullValue());
        Object paidAt = Sql.rows("SELECT paid_at FROM payments WHERE reference = ?", reference).get(0).get("paid_at");

        postStripe(body).then().statusCode(200)
                .body("received", equalTo(true))
                .body("duplicate", equalTo(true));

        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events"));
        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox"));
        assertEquals(paidAt, Sql.rows("SELECT paid_at FROM payments WHERE reference = ?", reference).get(0)
                .get("paid_at"));
        await().atMost(Duration.ofSeconds(15)).until(() -> SmtpResource.mail().getReceivedMessages().length == 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertEquals(1, SmtpResource.mail().getReceivedMessages().length));
    }

    @Test
    void referenceIsTakenFromMetadataWithoutClientReferenceId() {
        String reference = pendingPayment("stripe", 10, "USD");
        Map<String, Object> session = checkoutSession(null, 1000, "usd", "paid");
        session.remove("client_reference_id");
        session.put("metadata", Map.of("reference", reference));
        postStripe(stripeEvent(newEventId(), "checkout.session.completed", session))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals("success", paymentStatus(reference));
    }

    @Test
    void amountMismatchIsNotMarkedPaid() {
        String reference = pendingPayment("stripe", 1500, "USD");
        postStripe(stripeEvent(newEventId(), "checkout.session.completed",
                checkoutSession(reference, 100, "usd", "paid")))
                .then().statusCode(200).body("received", equalTo(true));

        Map<String, Object> payment = Sql.rows("SELECT status, paid_at, notes FROM payments WHERE reference = ?",
                reference).get(0);
        assertEquals("pending", payment.get("status"));
        assertNull(payment.get("paid_at"));
        assertTrue(((String) payment.get("notes")).contains("expected 150000 USD"), (String) payment.get("notes"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events WHERE processed_at IS NOT NULL"));
    }

    @Test
    void currencyMismatchIsNotMarkedPaid() {
        String reference = pendingPayment("stripe", 1500, "KES");
        postStripe(stripeEvent(newEventId(), "checkout.session.completed",
                checkoutSession(reference, 150000, "usd", "paid")))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals("pending", paymentStatus(reference));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void unpaidCompletedCheckoutOnlyMovesToProcessing() {
        String reference = pendingPayment("stripe", 50, "EUR");
        Map<String, Object> session = checkoutSession(reference, 5000, "eur", "unpaid");
        postStripe(stripeEvent(newEventId(), "checkout.session.completed", session))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals("processing", paymentStatus(reference));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));

        session.put("payment_status", "paid");
        postStripe(stripeEvent(newEventId(), "checkout.session.async_payment_succeeded", session))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals("success", paymentStatus(reference));
        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void expiredCheckoutCancelsThePayment() {
        String reference = pendingPayment("stripe", 10, "USD");
        postStripe(stripeEvent(newEventId(), "checkout.session.expired",
                checkoutSession(reference, 1000, "usd", "unpaid")))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals("cancelled", paymentStatus(reference));
    }

    @Test
    void failedAsyncPaymentFailsThePayment() {
        String reference = pendingPayment("stripe", 10, "USD");
        postStripe(stripeEvent(newEventId(), "checkout.session.async_payment_failed",
                checkoutSession(reference, 1000, "usd", "unpaid")))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals("failed", paymentStatus(reference));
    }

    @Test
    void declinedPaymentIntentIsNotedAndLeavesThePaymentOpen() {
        // In Checkout a declined card is one attempt: the payer may pay with another card in the same session.
        String reference = pendingPayment("stripe", 10, "USD");
        Map<String, Object> intent = new LinkedHashMap<>();
        intent.put("id", "pi_test_1");
        intent.put("object", "payment_intent");
        intent.put("amount", 1000);
        intent.put("currency", "usd");
        intent.put("metadata", Map.of("reference", reference));
        intent.put("last_payment_error", Map.of("code", "card_declined", "type", "card_error"));
        postStripe(stripeEvent(newEventId(), "payment_intent.payment_failed", intent))
                .then().statusCode(200).body("received", equalTo(true));
        Map<String, Object> payment = Sql.rows("SELECT status, notes, provider_payment_id FROM payments "
                + "WHERE reference = ?", reference).get(0);
        assertEquals("pending", payment.get("status"));
        assertEquals("Stripe declined an attempt: card_declined", payment.get("notes"));
        assertEquals("pi_test_1", payment.get("provider_payment_id"));
    }

    @Test
    void lateExpiryAfterCompletionLeavesThePaymentPaid() {
        String reference = pendingPayment("stripe", 10, "USD");
        long now = Instant.now().getEpochSecond();
        postStripe(stripeEvent(newEventId(), "checkout.session.completed", now,
                checkoutSession(reference, 1000, "usd", "paid")))
                .then().statusCode(200).body("received", equalTo(true));
        postStripe(stripeEvent(newEventId(), "checkout.session.expired", now + 5,
                checkoutSession(reference, 1000, "usd", "unpaid")))
                .then().statusCode(200).body("received", equalTo(true)).body("duplicate", nullValue());

        assertEquals("success", paymentStatus(reference));
        assertEquals(2, Sql.count("SELECT count(*) FROM webhook_events WHERE processed_at IS NOT NULL"));
        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void unknownReferenceIsRecordedAndAcknowledged() {
        String id = newEventId();
        postStripe(stripeEvent(id, "checkout.session.completed",
                checkoutSession("PSK-0-nosuchref", 1000, "usd", "paid")))
                .then().statusCode(200).body("received", equalTo(true)).body("duplicate", nullValue());
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events WHERE event_id = ? AND processed_at IS NOT NULL",
                id));
        assertEquals(0, Sql.count("SELECT count(*) FROM payments"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void unknownEventTypeIsRecordedAndAcknowledged() {
        String reference = pendingPayment("stripe", 10, "USD");
        String id = newEventId();
        postStripe(stripeEvent(id, "radar.early_fraud_warning.created",
                Map.of("id", "issfr_1", "object", "radar.early_fraud_warning", "client_reference_id", reference)))
                .then().statusCode(200).body("received", equalTo(true));
        List<Map<String, Object>> rows = Sql.rows("SELECT event_type, payload->'data'->'object'->>'id' AS object_id, "
                + "processed_at FROM webhook_events WHERE event_id = ?", id);
        assertEquals(1, rows.size());
        assertEquals("radar.early_fraud_warning.created", rows.get(0).get("event_type"));
        assertEquals("issfr_1", rows.get(0).get("object_id"));
        assertNotNull(rows.get(0).get("processed_at"));
        assertEquals("pending", paymentStatus(reference));
    }

    @Test
    void eventOfAnotherApiVersionShapeIsReadAsATree() {
        // An event from a future API version: unknown fields everywhere, amounts as before.
        String reference = pendingPayment("stripe", 7, "GBP");
        Map<String, Object> session = checkoutSession(reference, 700, "gbp", "paid");
        session.put("brand_new_field", Map.of("nested", List.of(1, 2, 3)));
        session.put("collected_information", null);
        postStripe(stripeEvent(newEventId(), "checkout.session.completed", session).replace(
                "\"api_version\":\"2025-03-31.basil\"", "\"api_version\":\"2099-01-01.future\""))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals("success", paymentStatus(reference));
    }

    @Test
    void eventWithANulCharacterIsAppliedAndRecorded() {
        String reference = pendingPayment("stripe", 10, "USD");
        Map<String, Object> session = checkoutSession(reference, 1000, "usd", "paid");
        session.put("customer_details", Map.of("name", "Null\u0000Byte"));
        String body = stripeEvent(newEventId(), "checkout.session.completed", session);
        assertTrue(body.contains("\\u0000"), body);
        postStripe(body).then().statusCode(200).body("received", equalTo(true));
        assertEquals("success", paymentStatus(reference));
        assertEquals("Null\ufffdByte", Sql.rows("SELECT payload->'data'->'object'->'customer_details'->>'name' AS name "
                + "FROM webhook_events").get(0).get("name"));
    }

    @Test
    void oneMegabyteEventIsAccepted() {
        String reference = pendingPayment("stripe", 10, "USD");
        Map<String, Object> session = checkoutSession(reference, 1000, "usd", "paid");
        session.put("metadata", Map.of("padding", "x".repeat(1000 * 1000)));
        String body = stripeEvent(newEventId(), "checkout.session.completed", session);
        assertTrue(body.length() > 1_000_000 && body.length() <= 1024 * 1024, "body is " + body.length());
        postStripe(body).then().statusCode(200).body("received", equalTo(true));
        assertEquals("success", paymentStatus(reference));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void twoMegabyteEventIsRefused() {
        String reference = pendingPayment("stripe", 10, "USD");
        Map<String, Object> session = checkoutSession(reference, 1000, "usd", "paid");
        session.put("metadata", Map.of("padding", "x".repeat(2 * 1024 * 1024)));
        postStripe(stripeEvent(newEventId(), "checkout.session.completed", session))
                .then().statusCode(413)
                .body("success", equalTo(false))
                .body("error.code", equalTo("PAYLOAD_TOO_LARGE"));
        assertEquals("pending", paymentStatus(reference));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }
}
