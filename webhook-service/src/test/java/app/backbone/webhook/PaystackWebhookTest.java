package app.backbone.webhook;

import static app.backbone.webhook.Deliveries.PAYSTACK_SECRET;
import static app.backbone.webhook.Deliveries.paymentStatus;
import static app.backbone.webhook.Deliveries.paystackEvent;
import static app.backbone.webhook.Deliveries.pendingPayment;
import static app.backbone.webhook.Deliveries.postPaystack;
import static app.backbone.webhook.Deliveries.postPaystackBytes;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.icegreen.greenmail.util.GreenMailUtil;

import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import app.backbone.testing.WebhookSignatures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class PaystackWebhookTest {

    @BeforeEach
    void clean() throws Exception {
        Deliveries.cleanDatabase();
        SmtpResource.purge();
    }

    @ParameterizedTest(name = "charge.success at {0} marks the payment paid")
    @ValueSource(strings = {"/webhooks/paystack", "/api/payment/webhook"})
    void chargeSuccessMarksThePaymentPaid(String path) throws Exception {
        String reference = pendingPayment("paystack", 2500, "KES");
        postPaystack(path, paystackEvent("charge.success", 4099260516L, reference, 250000, "KES"))
                .then().statusCode(200)
                .body("received", equalTo(true))
                .body("duplicate", nullValue());

        assertEquals("success", paymentStatus(reference));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events WHERE provider = 'paystack' AND event_id = "
                + "'charge.success:4099260516' AND event_type = 'charge.success' AND processed_at IS NOT NULL"));
        await().atMost(Duration.ofSeconds(15)).until(() -> SmtpResource.mail().getReceivedMessages().length == 1);
        assertTrue(GreenMailUtil.getBody(SmtpResource.mail().getReceivedMessages()[0]).contains(reference));
    }

    @Test
    void redeliveryOnTheOtherPathIsADuplicate() {
        String reference = pendingPayment("paystack", 100, "KES");
        String body = paystackEvent("charge.success", 77L, reference, 10000, "KES");
        postPaystack("/webhooks/paystack", body).then().statusCode(200).body("duplicate", nullValue());
        postPaystack("/api/payment/webhook", body).then().statusCode(200)
                .body("received", equalTo(true))
                .body("duplicate", equalTo(true));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events"));
        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox"));
        assertEquals("success", paymentStatus(reference));
    }

    @Test
    void missingSignatureIsRejected() {
        String reference = pendingPayment("paystack", 100, "KES");
        postPaystack("/webhooks/paystack", paystackEvent("charge.success", 1L, reference, 10000, "KES"), null)
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("MISSING_SIGNATURE"))
                .body("error.requestId", notNullValue());
        assertEquals("pending", paymentStatus(reference));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void signatureWithAnotherKeyIsRejected() {
        String reference = pendingPayment("paystack", 100, "KES");
        String body = paystackEvent("charge.success", 2L, reference, 10000, "KES");
        postPaystack("/api/payment/webhook", body, WebhookSignatures.paystack("sk_test_someone_else", body))
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("INVALID_SIGNATURE"));
        assertEquals("pending", paymentStatus(reference));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void signatureOfAnotherBodyIsRejected() {
        String reference = pendingPayment("paystack", 100, "KES");
        String signed = paystackEvent("charge.success", 3L, reference, 1, "KES");
        String tampered = paystackEvent("charge.success", 3L, reference, 10000, "KES");
        postPaystack("/webhooks/paystack", tampered, WebhookSignatures.paystack(PAYSTACK_SECRET, signed))
                .then().statusCode(400)
                .body("error.code", equalTo("INVALID_SIGNATURE"));
        assertEquals("pending", paymentStatus(reference));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void upperCaseHexSignatureIsAccepted() {
        String reference = pendingPayment("paystack", 100, "KES");
        String body = paystackEvent("charge.success", 4L, reference, 10000, "KES");
        String upperCase = WebhookSignatures.paystack(PAYSTACK_SECRET, body).toUpperCase(Locale.ROOT);
        postPaystack("/webhooks/paystack", body, upperCase)
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals("success", paymentStatus(reference));
    }

    @Test
    void amountMismatchIsNotMarkedPaid() {
        String reference = pendingPayment("paystack", 100, "KES");
        postPaystack("/webhooks/paystack", paystackEvent("charge.success", 5L, reference, 100, "KES"))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals("pending", paymentStatus(reference));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events WHERE processed_at IS NOT NULL"));
    }

    @ParameterizedTest(name = "signed body that is not UTF-8 at {0} is INVALID_JSON")
    @ValueSource(strings = {"/webhooks/paystack", "/api/payment/webhook"})
    void signedBodyThatIsNotUtf8IsInvalidJsonAndNothingIsStored(String path) {
        String reference = pendingPayment("paystack", 100, "KES");
        byte[] head = ("{\"event\":\"charge.success\",\"data\":{\"id\":77,\"status\":\"success\",\"reference\":\""
                + reference + "\",\"amount\":10000,\"currency\":\"KES\",\"note\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        body[head.length] = (byte) 0xC3;
        body[head.length + 1] = (byte) 0x28;
        System.arraycopy(tail, 0, body, head.length + 2, tail.length);

        postPaystackBytes(path, body)
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("INVALID_JSON"))
                .body("error.requestId", notNullValue());
        postPaystackBytes(path, new byte[] {(byte) 0xFF, (byte) 0xFE, 0x00, 0x7B})
                .then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
        assertEquals("pending", paymentStatus(reference));
    }

    @Test
    void signedMalformedJsonIsRejected() {
        postPaystack("/webhooks/paystack", "{\"event\": \"charge.success\", \"data\": ")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("INVALID_JSON"));
        postPaystack("/webhooks/paystack", "{\"data\": {\"id\": 1}}")
                .then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void unknownEventIsRecordedAndAcknowledged() {
        String reference = pendingPayment("paystack", 100, "KES");
        postPaystack("/webhooks/paystack", paystackEvent("transfer.success", 6L, reference, 10000, "KES"))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events WHERE event_id = 'transfer.success:6' "
                + "AND processed_at IS NOT NULL"));
        assertEquals("pending", paymentStatus(reference));
    }

    @Test
    void unknownReferenceIsRecordedAndAcknowledged() {
        postPaystack("/webhooks/paystack", paystackEvent("charge.success", 7L, "PSK-0-unknown", 10000, "KES"))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events WHERE event_id = 'charge.success:7'"));
        assertEquals(0, Sql.count("SELECT count(*) FROM payments"));
    }
}
