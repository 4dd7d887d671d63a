package app.backbone.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;

import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.support.InjectBackends;
import app.backbone.gateway.support.RecordingUpstream.Received;
import app.backbone.gateway.support.TestBackends;
import app.backbone.testing.WebhookSignatures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Provider signatures are over the raw bytes: they must still verify on the far side of the gateway. */
@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
class WebhookSignatureTest {

    private static final String STRIPE_SECRET = "whsec_test_gateway_secret";
    private static final String PAYSTACK_SECRET = "sk_test_paystack_secret";

    // Odd spacing, key order and non-ASCII text: any re-serialisation on the way would break the signature.
    private static final String STRIPE_EVENT = "{\n  \"id\": \"evt_1GatewayTest\",\n  \"object\": \"event\",  \"api_version\": \"2024-06-20\",\n"
            + "  \"type\": \"checkout.session.completed\", \"created\": 1700000000,\n"
            + "  \"data\": {\"object\": {\"id\": \"cs_test_1\", \"object\": \"checkout.session\", \"client_reference_id\": \"PSK-1-x\","
            + " \"customer_details\": {\"name\": \"Zo\u00eb \u00c5ngstr\u00f6m \u2713\"}, \"amount_total\": 5000}}\n}";

    @InjectBackends
    TestBackends backends;

    @Test
    void stripeSignedWebhookStillVerifiesAfterTheGateway() throws Exception {
        String requestId = "stripe-" + UUID.randomUUID();
        byte[] body = STRIPE_EVENT.getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSignatures.stripe(STRIPE_SECRET, Instant.now().getEpochSecond(), body);

        given().header("X-Request-Id", requestId).header("Stripe-Signature", signature)
                .contentType("application/json; charset=utf-8").body(body)
                .post("/webhooks/stripe")
                .then().statusCode(200).body("service", equalTo("webhook"));

        Received received = backends.webhook().withRequestId(requestId).orElseThrow();
        assertArrayEquals(body, received.body());
        assertEquals(signature, received.header("Stripe-Signature"));
        Event event = Webhook.constructEvent(new String(received.body(), StandardCharsets.UTF_8),
                received.header("Stripe-Signature"), STRIPE_SECRET);
        assertEquals("evt_1GatewayTest", event.getId());
        assertEquals("checkout.session.completed", event.getType());
        // The check itself is live: one changed byte and it fails.
        String tampered = new String(received.body(), StandardCharsets.UTF_8).replace("5000", "5001");
        assertThrows(SignatureVerificationException.class,
                () -> Webhook.constructEvent(tampered, received.header("Stripe-Signature"), STRIPE_SECRET));
    }

    @Test
    void paystackSignedWebhookStillVerifiesAfterTheGateway() throws Exception {
        String requestId = "paystack-" + UUID.randomUUID();
        byte[] body = "{\"event\":\"charge.success\",\"data\":{\"id\":42,\"reference\":\"PSK-9-y\",\"amount\":500000,\"currency\":\"KES\"}}"
                .getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSignatures.paystack(PAYSTACK_SECRET, body);

        given().header("X-Request-Id", requestId).header("x-paystack-signature", signature)
                .contentType("application/json").body(body)
                .post("/api/payment/webhook")
                .then().statusCode(200).body("service", equalTo("webhook"));

        Received received = backends.webhook().withRequestId(requestId).orElseThrow();
        String recomputed = WebhookSignatures.paystack(PAYSTACK_SECRET, received.body());
        assertEquals(true, MessageDigest.isEqual(recomputed.getBytes(StandardCharsets.US_ASCII),
                received.header("x-paystack-signature").getBytes(StandardCharsets.US_ASCII)));
    }
}
