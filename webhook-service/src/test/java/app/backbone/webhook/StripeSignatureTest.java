package app.backbone.webhook;

import static app.backbone.webhook.Deliveries.OLD_STRIPE_SECRET;
import static app.backbone.webhook.Deliveries.STRIPE_SECRET;
import static app.backbone.webhook.Deliveries.newEventId;
import static app.backbone.webhook.Deliveries.postStripe;
import static app.backbone.webhook.Deliveries.stripeEvent;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import app.backbone.testing.WebhookSignatures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class StripeSignatureTest {

    @BeforeEach
    void clean() {
        Deliveries.cleanDatabase();
    }

    private static String anEvent(String id) {
        return stripeEvent(id, "customer.created", Map.of("id", "cus_sig", "object", "customer"));
    }

    @Test
    void correctlySignedEventIsRecorded() {
        String id = newEventId();
        postStripe(anEvent(id)).then().statusCode(200)
                .body("received", equalTo(true))
                .body("duplicate", nullValue())
                .body("success", nullValue());
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events WHERE provider = 'stripe' AND event_id = ? "
                + "AND processed_at IS NOT NULL", id));
    }

    @Test
    void missingSignatureIsRejected() {
        postStripe(anEvent(newEventId()), null).then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("MISSING_SIGNATURE"))
                .body("error.requestId", notNullValue());
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void signatureWithAForeignSecretIsRejected() {
        double before = errorCount("INVALID_SIGNATURE");
        String body = anEvent(newEventId());
        postStripe(body, WebhookSignatures.stripe("whsec_someone_else", Instant.now().getEpochSecond(), body))
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("INVALID_SIGNATURE"));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
        assertEquals(before + 1, errorCount("INVALID_SIGNATURE"), "signature failures are counted in /q/metrics");
    }

    @Test
    void signatureOfAnotherBodyIsRejected() {
        String signed = anEvent(newEventId());
        String tampered = signed.replace("cus_sig", "cus_evil");
        postStripe(tampered, WebhookSignatures.stripe(STRIPE_SECRET, Instant.now().getEpochSecond(), signed))
                .then().statusCode(400)
                .body("error.code", equalTo("INVALID_SIGNATURE"));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void signatureOlderThanTheToleranceIsRejected() {
        String body = anEvent(newEventId());
        long sixMinutesAgo = Instant.now().getEpochSecond() - 360;
        postStripe(body, WebhookSignatures.stripe(STRIPE_SECRET, sixMinutesAgo, body))
                .then().statusCode(400)
                .body("error.code", equalTo("INVALID_SIGNATURE"));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void signatureDatedBeyondTheToleranceAheadIsRejected() {
        String body = anEvent(newEventId());
        long sixMinutesAhead = Instant.now().getEpochSecond() + 360;
        postStripe(body, WebhookSignatures.stripe(STRIPE_SECRET, sixMinutesAhead, body))
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("INVALID_SIGNATURE"));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void signatureSlightlyAheadIsAccepted() {
        // Clocks drift: a timestamp a minute ahead is within the tolerance.
        String body = anEvent(newEventId());
        postStripe(body, WebhookSignatures.stripe(STRIPE_SECRET, Instant.now().getEpochSecond() + 60, body))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void signatureWithinTheToleranceIsAccepted() {
        String body = anEvent(newEventId());
        long fourMinutesAgo = Instant.now().getEpochSecond() - 240;
        postStripe(body, WebhookSignatures.stripe(STRIPE_SECRET, fourMinutesAgo, body))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void garbageSignatureHeaderIsRejected() {
        postStripe(anEvent(newEventId()), "not-a-signature").then().statusCode(400)
                .body("error.code", equalTo("INVALID_SIGNATURE"));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void signatureHeaderWithATimestampThatIsNotANumberIsRejected() {
        postStripe(anEvent(newEventId()), "t=abc,v1=" + "0".repeat(64)).then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("INVALID_SIGNATURE"));
        postStripe(anEvent(newEventId()), "t=99999999999999999999,v1=" + "0".repeat(64)).then().statusCode(400)
                .body("error.code", equalTo("INVALID_SIGNATURE"));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void anyMatchingV1SignatureIsEnough() {
        String body = anEvent(newEventId());
        long now = Instant.now().getEpochSecond();
        String good = WebhookSignatures.stripe(STRIPE_SECRET, now, body);
        String header = "t=" + now + ",v1=" + "0".repeat(64) + "," + good.substring(good.indexOf("v1="))
                + ",v0=deadbeef";
        postStripe(body, header).then().statusCode(200).body("received", equalTo(true));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void secretBeingRotatedOutStillVerifies() {
        String body = anEvent(newEventId());
        postStripe(body, WebhookSignatures.stripe(OLD_STRIPE_SECRET, Instant.now().getEpochSecond(), body))
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void signedMalformedJsonIsRejected() {
        postStripe("{\"id\": \"evt_1\", \"type\": ").then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("INVALID_JSON"));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void signedJsonWithoutTheEventFieldsIsRejected() {
        postStripe("{\"hello\": \"world\"}").then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"));
        postStripe("[1, 2, 3]").then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void signedBodyThatIsNotUtf8IsInvalidJsonAndNothingIsStored() {
        // Stray bytes inside the customer id: decoded leniently they would still make a parseable event.
        String event = anEvent(newEventId());
        int at = event.indexOf("cus_sig") + 3;
        byte[] head = event.substring(0, at).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] tail = event.substring(at).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        body[head.length] = (byte) 0x80;
        body[head.length + 1] = (byte) 0xFF;
        System.arraycopy(tail, 0, body, head.length + 2, tail.length);
        Deliveries.postStripeBytes(body).then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("INVALID_JSON"))
                .body("error.requestId", org.hamcrest.Matchers.notNullValue());
        Deliveries.postStripeBytes(new byte[] {(byte) 0xC3, 0x28, 0x7B, 0x7D}).then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void emptySignedBodyIsRejected() {
        postStripe("").then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    private static double errorCount(String code) {
        String metrics = app.backbone.testing.Management.given().get("/q/metrics").asString();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^api_errors_total\\{[^}]*code=\"" + code + "\"[^}]*\\} ([0-9.eE+]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
