package app.backbone.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.icegreen.greenmail.util.GreenMailUtil;

import app.backbone.payment.payments.PaymentReconciler;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The payment state machine as verify and the reconciler see it, and initiate never stranding a key or a row:
 * money that arrives after a failure or cancellation wins, a reversal is a refund, the client cannot steer
 * settlement through metadata.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(ProviderStandIns.class)
class PaymentLifecycleTest {

    @Inject
    PaymentReconciler reconciler;

    @BeforeEach
    void clean() throws Exception {
        Stubs.clean();
        SmtpResource.purge();
    }

    @ParameterizedTest(name = "a {0} Paystack payment the payer came back and paid says success")
    @ValueSource(strings = {"failed", "cancelled"})
    void closedPaystackPaymentPaidLaterSaysSuccessAndMailsOneReceipt(String closed) throws Exception {
        String reference = "PSK-1-late-" + closed;
        Stubs.payment(reference, "paystack", "acc_late", 2500, "KES", closed, 30);
        Stubs.paystackVerify(reference, "success", 250000, "KES");

        for (int i = 0; i < 2; i++) {
            given().get("/api/payment/verify/" + reference)
                    .then().statusCode(200)
                    .body("data.status", equalTo("success"))
                    .body("data.paidAt", notNullValue());
        }
        Map<String, Object> row = Sql.rows("SELECT status, notes FROM payments WHERE reference = ?", reference).get(0);
        assertEquals("success", row.get("status"));
        assertTrue(((String) row.get("notes")).contains("paid after it was " + closed), (String) row.get("notes"));
        await().atMost(Duration.ofSeconds(15)).until(() -> SmtpResource.mail().getReceivedMessages().length == 1);
        assertTrue(GreenMailUtil.getBody(SmtpResource.mail().getReceivedMessages()[0]).contains(reference));
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                .until(() -> SmtpResource.mail().getReceivedMessages().length == 1);
    }

    @Test
    void closedPaymentWhoseProviderIsDownKeepsItsStoredAnswer() {
        Stubs.payment("PSK-1-closed-down", "paystack", "acc_cd", 100, "KES", "failed", 5);
        ProviderStandIns.paystack().stubFor(get(urlEqualTo("/transaction/verify/PSK-1-closed-down"))
                .willReturn(Stubs.json(500, "{\"status\":false}")));
        given().get("/api/payment/verify/PSK-1-closed-down")
                .then().statusCode(200).body("data.status", equalTo("failed"));
        assertEquals(1, ProviderStandIns.paystack().findAll(getRequestedFor(anyUrl())).size());
    }

    @Test
    void reversedPaystackPaymentIsRefundedInFull() {
        Stubs.payment("PSK-1-rev", "paystack", "acc_rev", 2500, "KES", "pending", 5);
        Stubs.paystackVerify("PSK-1-rev", "reversed", 250000, "KES");
        given().get("/api/payment/verify/PSK-1-rev")
                .then().statusCode(200)
                .body("data.status", equalTo("refunded"))
                .body("data.refundedAmount", equalTo(2500))
                .body("data.refundedAt", notNullValue());
        assertEquals(250000L, Sql.rows("SELECT refunded_minor FROM payments").get(0).get("refunded_minor"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void verifyShowsAPartialRefundAndADispute() {
        Stubs.payment("PSK-1-part", "stripe", "cs_test_part", 15, "USD", "success", 5);
        Sql.update("UPDATE payments SET refunded_minor = 550, refunded_at = now(), dispute_status = 'under_review', "
                + "disputed_at = now() WHERE reference = 'PSK-1-part'");
        given().get("/api/payment/verify/PSK-1-part")
                .then().statusCode(200)
                .body("data.status", equalTo("success"))
                .body("data.amount", equalTo(15))
                .body("data.refundedAmount", equalTo(5.5f))
                .body("data.disputeStatus", equalTo("under_review"))
                .body("data.disputedAt", notNullValue());
        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void freshPaymentShowsNothingRefundedAndNoDispute() {
        Stubs.payment("PSK-1-fresh", "paystack", "acc_f", 100, "KES", "success", 1);
        given().get("/api/payment/verify/PSK-1-fresh")
                .then().statusCode(200)
                .body("data.refundedAmount", equalTo(0))
                .body("data.refundedAt", nullValue())
                .body("data.disputeStatus", nullValue());
    }

    @ParameterizedTest(name = "metadata key {0} is refused")
    @ValueSource(strings = {"reference", "Reference", "cancel_action", "custom_fields", "custom_filters"})
    void clientCannotSetReservedOrControlMetadata(String key) {
        given().contentType(ContentType.JSON)
                .body(Map.of("email", "payer@example.com", "amount", 100, "metadata", Map.of(key, "x")))
                .post("/api/payment/initiate")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.field", hasItem("metadata." + key));
        assertEquals(0, Sql.count("SELECT count(*) FROM payments"));
        assertEquals(0, ProviderStandIns.paystack().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void ourReferenceIsTheOneTheProviderGets() {
        Stubs.paystackInitialize("acc_meta");
        String reference = given().contentType(ContentType.JSON)
                .body(Map.of("email", "payer@example.com", "amount", 100, "metadata", Map.of("orderId", "A-1")))
                .post("/api/payment/initiate")
                .then().statusCode(201).extract().path("data.reference");
        var sent = Stubs.parse(ProviderStandIns.paystack().findAll(postRequestedFor(urlEqualTo(
                "/transaction/initialize"))).get(0).getBodyAsString());
        assertEquals(reference, sent.path("metadata").path("reference").asText());
        assertEquals("A-1", sent.path("metadata").path("orderId").asText());
    }

    @Test
    void databaseLostAfterTheKeyWasClaimedLetsARetryWithTheKeySucceed() throws Exception {
        // Paystack answers slowly; the database goes away while it does, so the answer cannot be recorded.
        ProviderStandIns.paystack().stubFor(post(urlEqualTo("/transaction/initialize")).willReturn(Stubs.json(200, """
                {"status":true,"message":"Authorization URL created","data":{
                 "authorization_url":"https://checkout.paystack.com/acc_strand","access_code":"acc_strand"}}""")
                .withFixedDelay(1500)));
        Map<String, Object> body = Map.of("email", "strand@example.com", "amount", 100);
        var first = new java.util.concurrent.CompletableFuture<io.restassured.response.Response>();
        Thread caller = new Thread(() -> first.complete(given().contentType(ContentType.JSON)
                .header("Idempotency-Key", "strand-key").body(body).post("/api/payment/initiate")));
        caller.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !ProviderStandIns.paystack()
                .findAll(postRequestedFor(urlEqualTo("/transaction/initialize"))).isEmpty());
        PostgresResource.link().cut();
        String strandedReference;
        try {
            io.restassured.response.Response answer = first.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(503, answer.statusCode(), answer.asString());
            assertEquals("SERVICE_UNAVAILABLE", answer.path("error.code"));
        } finally {
            PostgresResource.link().restore();
        }
        strandedReference = (String) Sql.rows("SELECT reference FROM payment_idempotency").get(0).get("reference");
        assertEquals("pending", Sql.rows("SELECT status FROM payments WHERE reference = ?", strandedReference).get(0)
                .get("status"));

        // Once the key has been in flight longer than any initiate can take, a retry takes it over.
        ProviderStandIns.paystack().resetAll();
        Stubs.paystackInitialize("acc_retry");
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                given().contentType(ContentType.JSON).header("Idempotency-Key", "strand-key").body(body)
                        .post("/api/payment/initiate")
                        .then().statusCode(201)
                        .body("data.authorizationUrl", equalTo("https://checkout.paystack.com/acc_retry")));
        String retried = (String) Sql.rows("SELECT reference FROM payment_idempotency").get(0).get("reference");
        assertNotEquals(strandedReference, retried);
        Map<String, Object> stranded = Sql.rows("SELECT status, notes FROM payments WHERE reference = ?",
                strandedReference).get(0);
        assertEquals("failed", stranded.get("status"));
        assertTrue(((String) stranded.get("notes")).contains("taken over by a retry"), (String) stranded.get("notes"));
        // The same key now replays the new payment.
        given().contentType(ContentType.JSON).header("Idempotency-Key", "strand-key").body(body)
                .post("/api/payment/initiate")
                .then().statusCode(201).header("Idempotent-Replayed", "true").body("data.reference", equalTo(retried));
        assertEquals(2, Sql.count("SELECT count(*) FROM payments"));
    }

    @Test
    void reconcilerFailsAStripePaymentWhoseSessionWasNeverRecorded() {
        Stubs.payment("PSK-1-nosession", "stripe", null, 100, "USD", "pending", 26 * 60);
        Stubs.payment("PSK-1-young", "stripe", null, 100, "USD", "pending", 20);
        reconciler.reconcileOnce().await().atMost(Duration.ofSeconds(20));
        Map<String, Object> old = Sql.rows("SELECT status, notes FROM payments WHERE reference = 'PSK-1-nosession'")
                .get(0);
        assertEquals("failed", old.get("status"));
        assertTrue(((String) old.get("notes")).contains("no checkout session was recorded"));
        assertEquals("pending", Sql.rows("SELECT status FROM payments WHERE reference = 'PSK-1-young'").get(0)
                .get("status"));
        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void reconcilerFailsAPaystackPaymentPaystackNeverHeardOf() {
        Stubs.payment("PSK-1-unheard", "paystack", null, 100, "KES", "pending", 25 * 60);
        ProviderStandIns.paystack().stubFor(get(urlEqualTo("/transaction/verify/PSK-1-unheard")).willReturn(
                Stubs.json(400, "{\"status\":false,\"message\":\"Transaction reference not found\"}")));
        reconciler.reconcileOnce().await().atMost(Duration.ofSeconds(20));
        Map<String, Object> row = Sql.rows("SELECT status, notes FROM payments").get(0);
        assertEquals("failed", row.get("status"));
        assertTrue(((String) row.get("notes")).contains("never opened this payment"));
    }

    @Test
    void priceIdSetsTheAmountAndCurrencyFromTheCatalogue() {
        stubPrice("price_tee_once", true, "one_time", 250000, "kes");
        Stubs.paystackInitialize("acc_priced");
        given().contentType(ContentType.JSON)
                .body(Map.of("email", "payer@example.com", "priceId", "price_tee_once"))
                .post("/api/payment/initiate")
                .then().statusCode(201).body("data.provider", equalTo("paystack"));
        Map<String, Object> row = Sql.rows("SELECT amount, currency FROM payments").get(0);
        assertEquals(2500, row.get("amount"));
        assertEquals("KES", row.get("currency"));
        var sent = Stubs.parse(ProviderStandIns.paystack().findAll(postRequestedFor(urlEqualTo(
                "/transaction/initialize"))).get(0).getBodyAsString());
        assertEquals(250000, sent.path("amount").asLong());
    }

    @ParameterizedTest(name = "price {0} is refused")
    @ValueSource(strings = {"inactive", "recurring", "fractional", "missing", "with-amount"})
    void unusablePriceIsAValidationErrorAndNothingIsStored(String kind) {
        String id = "price_bad_" + kind.replace("-", "_");
        Map<String, Object> body = new java.util.HashMap<>(Map.of("email", "payer@example.com", "priceId", id));
        switch (kind) {
            case "inactive" -> stubPrice(id, false, "one_time", 1000, "usd");
            case "recurring" -> stubPrice(id, true, "recurring", 1000, "usd");
            case "fractional" -> stubPrice(id, true, "one_time", 1050, "usd");
            case "missing" -> ProviderStandIns.stripe().stubFor(get(com.github.tomakehurst.wiremock.client.WireMock
                    .urlPathEqualTo("/v1/prices/" + id)).willReturn(Stubs.json(404, """
                    {"error":{"code":"resource_missing","message":"No such price","param":"id",
                     "type":"invalid_request_error"}}""")));
            default -> body.put("amount", 10);
        }
        given().contentType(ContentType.JSON).body(body)
                .post("/api/payment/initiate")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.field", hasItem(kind.equals("with-amount") ? "amount" : "priceId"));
        assertEquals(0, Sql.count("SELECT count(*) FROM payments"));
        assertEquals(0, ProviderStandIns.paystack().findAll(anyRequestedFor(anyUrl())).size());
    }

    private static void stubPrice(String id, boolean active, String type, long unitAmount, String currency) {
        ProviderStandIns.stripe().stubFor(get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(
                "/v1/prices/" + id)).willReturn(Stubs.json(200, """
                {"id":"%s","object":"price","active":%s,"type":"%s","unit_amount":%d,"currency":"%s",
                 "product":{"id":"prod_tee","object":"product","name":"Tee"}}"""
                .formatted(id, active, type, unitAmount, currency))));
    }
}
