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
