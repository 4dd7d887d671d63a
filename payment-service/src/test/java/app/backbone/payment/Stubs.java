package app.backbone.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import app.backbone.testing.Sql;

/** Provider answers in their wire format, and rows set up directly. */
final class Stubs {

    static final ObjectMapper JSON = new ObjectMapper();

    private Stubs() {
    }

    static void paystackInitialize(String accessCode) {
        ProviderStandIns.paystack().stubFor(post(urlEqualTo("/transaction/initialize")).willReturn(json(200, """
                {"status":true,"message":"Authorization URL created","data":{
                 "authorization_url":"https://checkout.paystack.com/%s","access_code":"%s","reference":"ignored"}}"""
                .formatted(accessCode, accessCode))));
    }

    static void paystackVerify(String reference, String status, long amount, String currency) {
        ProviderStandIns.paystack().stubFor(get(urlEqualTo("/transaction/verify/" + reference)).willReturn(json(200, """
                {"status":true,"message":"Verification successful","data":{"id":4099260516,"status":"%s",
                 "reference":"%s","amount":%d,"currency":"%s","gateway_response":"Approved"}}"""
                .formatted(status, reference, amount, currency))));
    }

    static void stripeSessionCreated(String sessionId) {
        ProviderStandIns.stripe().stubFor(post(urlEqualTo("/v1/checkout/sessions")).willReturn(json(200, """
                {"id":"%s","object":"checkout.session","status":"open","payment_status":"unpaid",
                 "url":"https://checkout.stripe.com/c/pay/%s","mode":"payment"}""".formatted(sessionId, sessionId))));
    }

    static void stripeSession(String sessionId, String status, String paymentStatus, long amountTotal,
            String currency) {
        ProviderStandIns.stripe().stubFor(get(urlPathEqualTo("/v1/checkout/sessions/" + sessionId)).willReturn(json(200, """
                {"id":"%s","object":"checkout.session","status":"%s","payment_status":"%s","amount_total":%d,
                 "currency":"%s","mode":"payment"}""".formatted(sessionId, status, paymentStatus, amountTotal,
                currency))));
    }

    /** A catalogue price as Stripe answers it, product expanded. */
    static void stripePrice(String priceId, boolean active, String type) {
        String recurring = "recurring".equals(type) ? "\"recurring\":{\"interval\":\"month\",\"interval_count\":1}," : "";
        ProviderStandIns.stripe().stubFor(get(urlPathEqualTo("/v1/prices/" + priceId)).willReturn(json(200, """
                {"id":"%s","object":"price","active":%s,"type":"%s","unit_amount":50000,"currency":"kes",%s
                 "product":{"id":"prod_%s","object":"product","name":"Plan"}}""".formatted(priceId, active, type,
                recurring, priceId))));
    }

    /** A subscription as Stripe answers it (API version 2025-03-31 and later: the period on the item). */
    static String stripeSubscription(String id, String customer, String status, String price, long quantity,
            boolean cancelAtPeriodEnd) {
        return """
                {"id":"%s","object":"subscription","customer":"%s","status":"%s","cancel_at_period_end":%s,
                 "cancel_at":null,"canceled_at":%s,"trial_end":null,"created":1767225600,
                 "items":{"object":"list","data":[{"id":"si_%s","object":"subscription_item","quantity":%d,
                   "current_period_start":1767225600,"current_period_end":1769904000,
                   "price":{"id":"%s","object":"price","active":true,"type":"recurring"}}],"has_more":false}}"""
                .formatted(id, customer, status, cancelAtPeriodEnd, "canceled".equals(status) ? "1767312000" : "null",
                        id, quantity, price);
    }

    /** A Stripe customer mapped to the Clerk user, as POST /stripe/customer leaves it. */
    static void mapped(String clerkUserId, String customerId) {
        Sql.update("INSERT INTO stripe_customer_mapping (user_id, clerk_user_id, stripe_customer_id) VALUES (?, ?, ?)",
                clerkUserId, clerkUserId, customerId);
    }

    /** A subscription row as webhook-service records it from Stripe's events. */
    static void subscriptionRow(String id, String customerId, String status, String priceId) {
        Sql.update("""
                INSERT INTO subscriptions (id, stripe_customer_id, status, price_id, current_period_end, last_event_at)
                VALUES (?, ?, ?, ?, now() + interval '20 days', now())""", id, customerId, status, priceId);
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A payment row as initiate would have left it, {@code ageMinutes} old. */
    static void payment(String reference, String provider, String providerRef, int amount, String currency,
            String status, int ageMinutes) {
        Sql.update("""
                INSERT INTO payments (reference, email, amount, currency, provider, provider_ref, status, created_at,
                                      updated_at)
                VALUES (?, 'payer@example.com', ?, ?, ?, ?, ?, now() - make_interval(mins => ?),
                        now() - make_interval(mins => ?))""",
                reference, amount, currency, provider, providerRef, status, ageMinutes, ageMinutes);
    }

    static void clean() {
        Sql.update("DELETE FROM payment_idempotency");
        Sql.update("DELETE FROM subscription_checkouts");
        Sql.update("DELETE FROM payments");
        Sql.update("DELETE FROM email_outbox");
        Sql.update("DELETE FROM subscriptions");
        Sql.update("DELETE FROM stripe_customer_mapping");
        Sql.update("DELETE FROM stripe_customer_claims");
        Sql.update("DELETE FROM stripe_deleted_customers");
        ProviderStandIns.stripe().resetAll();
        ProviderStandIns.paystack().resetAll();
    }
}
