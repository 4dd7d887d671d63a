package app.backbone.webhook;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import app.backbone.testing.Sql;
import app.backbone.testing.WebhookSignatures;
import io.restassured.response.Response;

/** Builds provider events and delivers them signed exactly as Stripe and Paystack sign them ({@link WebhookSignatures}). */
public final class Deliveries {

    /** The current Stripe signing secret of the test profile; {@link #OLD_STRIPE_SECRET} is the one being rotated out. */
    public static final String STRIPE_SECRET = "whsec_test_current_secret";
    public static final String OLD_STRIPE_SECRET = "whsec_test_old_secret";
    public static final String PAYSTACK_SECRET = "sk_test_paystack_secret";
    public static final String STRIPE_CONTENT_TYPE = "application/json; charset=utf-8";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Deliveries() {
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Stripe event envelope around {@code object}, created {@code created} (Unix seconds). */
    public static String stripeEvent(String id, String type, long created, Map<String, Object> object) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", id);
        event.put("object", "event");
        event.put("api_version", "2025-03-31.basil");
        event.put("created", created);
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        event.put("type", type);
        event.put("data", Map.of("object", object));
        return json(event);
    }

    public static String stripeEvent(String id, String type, Map<String, Object> object) {
        return stripeEvent(id, type, Instant.now().getEpochSecond(), object);
    }

    public static Map<String, Object> checkoutSession(String reference, long amountTotal, String currency,
            String paymentStatus) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("id", "cs_test_" + UUID.randomUUID().toString().replace("-", ""));
        session.put("object", "checkout.session");
        session.put("client_reference_id", reference);
        session.put("amount_total", amountTotal);
        session.put("currency", currency);
        session.put("payment_status", paymentStatus);
        session.put("status", "complete");
        session.put("metadata", Map.of());
        return session;
    }

    public static Response postStripe(String body) {
        return postStripe(body, WebhookSignatures.stripe(STRIPE_SECRET, Instant.now().getEpochSecond(), body));
    }

    public static Response postStripe(String body, String signatureHeader) {
        var request = given().contentType(STRIPE_CONTENT_TYPE).body(body.getBytes(StandardCharsets.UTF_8));
        if (signatureHeader != null) {
            request.header("Stripe-Signature", signatureHeader);
        }
        return request.post("/webhooks/stripe");
    }

    public static String paystackEvent(String event, long dataId, String reference, long amount, String currency) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", dataId);
        data.put("domain", "test");
        data.put("status", "success");
        data.put("reference", reference);
        data.put("amount", amount);
        data.put("currency", currency);
        data.put("channel", "mobile_money");
        data.put("customer", Map.of("email", "payer@example.com"));
        return json(Map.of("event", event, "data", data));
    }

    public static Response postPaystack(String path, String body) {
        return postPaystack(path, body, WebhookSignatures.paystack(PAYSTACK_SECRET, body));
    }

    public static Response postPaystack(String path, String body, String signature) {
        var request = given().contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8));
        if (signature != null) {
            request.header("x-paystack-signature", signature);
        }
        return request.post(path);
    }

    /** Inserts a pending payment of {@code amount} major units; answers its reference. */
    public static String pendingPayment(String provider, int amount, String currency) {
        String reference = "PSK-" + System.currentTimeMillis() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Sql.update("INSERT INTO payments (reference, email, amount, currency, provider) VALUES (?, ?, ?, ?, ?)",
                reference, "payer@example.com", amount, currency, provider);
        return reference;
    }

    public static String paymentStatus(String reference) {
        return (String) Sql.rows("SELECT status FROM payments WHERE reference = ?", reference).get(0).get("status");
    }

    public static String newEventId() {
        return "evt_test_" + UUID.randomUUID().toString().replace("-", "");
    }

    public static void cleanDatabase() {
        Sql.update("DELETE FROM webhook_events");
        Sql.update("DELETE FROM payments");
        Sql.update("DELETE FROM email_outbox");
        Sql.update("DELETE FROM stripe_customer_mapping");
        Sql.update("DELETE FROM subscriptions");
        Sql.update("DELETE FROM stripe_deleted_customers");
        Sql.update("DELETE FROM stripe_customer_claims");
    }

    /** A Stripe delivery of raw bytes (which need not be UTF-8), signed over exactly those bytes. */
    public static Response postStripeBytes(byte[] body) {
        return given().contentType(STRIPE_CONTENT_TYPE).body(body)
                .header("Stripe-Signature", WebhookSignatures.stripe(STRIPE_SECRET, Instant.now().getEpochSecond(), body))
                .post("/webhooks/stripe");
    }

    /** A Paystack delivery of raw bytes (which need not be UTF-8), signed over exactly those bytes. */
    public static Response postPaystackBytes(String path, byte[] body) {
        return given().contentType("application/json").body(body)
                .header("x-paystack-signature", WebhookSignatures.paystack(PAYSTACK_SECRET, body))
                .post(path);
    }
}
