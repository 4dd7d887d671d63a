package app.backbone.webhook;

import static app.backbone.webhook.Deliveries.paymentStatus;
import static app.backbone.webhook.Deliveries.paystackEvent;
import static app.backbone.webhook.Deliveries.pendingPayment;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import app.backbone.testing.WebhookSignatures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** With PAYSTACK_ALLOWED_IPS set, only Paystack's addresses may deliver; a proxy's word counts only if trusted. */
@QuarkusTest
@TestProfile(PaystackSourceAddressTest.AllowList.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class PaystackSourceAddressTest {

    public static class AllowList implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The tests connect from 127.0.0.1, which is a trusted proxy here but not a Paystack address.
            return Map.of("webhook.paystack.allowed-ips", "52.31.139.75,41.58.0.0/16",
                    "webhook.trusted-proxies", "127.0.0.1,10.0.0.0/8");
        }
    }

    @BeforeEach
    void clean() {
        Deliveries.cleanDatabase();
    }

    private static Response deliver(String body, String forwardedFor) {
        var request = given().contentType("application/json")
                .header("x-paystack-signature", WebhookSignatures.paystack(Deliveries.PAYSTACK_SECRET, body))
                .body(body);
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return request.post("/webhooks/paystack");
    }

    @Test
    void deliveryFromAnAddressOutsideTheListIsForbidden() {
        String reference = pendingPayment("paystack", 100, "KES");
        deliver(paystackEvent("charge.success", 11L, reference, 10000, "KES"), null)
                .then().statusCode(403)
                .body("success", equalTo(false))
                .body("error.code", equalTo("FORBIDDEN"));
        assertEquals("pending", paymentStatus(reference));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void deliveryForwardedByATrustedProxyFromAnAllowedAddressIsApplied() {
        String reference = pendingPayment("paystack", 100, "KES");
        deliver(paystackEvent("charge.success", 12L, reference, 10000, "KES"), "10.1.2.3, 41.58.7.9, 10.0.0.5")
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals("success", paymentStatus(reference));
    }

    @Test
    void forgedLeftmostForwardedAddressIsNotBelieved() {
        String reference = pendingPayment("paystack", 100, "KES");
        // The right-most untrusted hop is the real client; what it claims to its left is its own invention.
        deliver(paystackEvent("charge.success", 13L, reference, 10000, "KES"), "52.31.139.75, 203.0.113.9")
                .then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));
        assertEquals("pending", paymentStatus(reference));
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
    }
}
