package app.backbone.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.http.Fault;
import com.icegreen.greenmail.util.GreenMailUtil;

import app.backbone.testing.Concurrently;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(ProviderStandIns.class)
class PaymentVerifyTest {

    @BeforeEach
    void clean() throws Exception {
        Stubs.clean();
        SmtpResource.purge();
    }

    @Test
    void unknownReferenceIsNotFound() {
        given().get("/api/payment/verify/PSK-1-nosuchref")
                .then().statusCode(404)
                .body("success", equalTo(false))
                .body("error.code", equalTo("NOT_FOUND"));
        assertEquals(0, ProviderStandIns.paystack().findAll(anyRequestedFor(anyUrl())).size());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "reference {0} is not found")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "PSK-1-a%00b", "PSK-1-a%01b", "PSK-1-a%1Fb", "PSK-1-a%7Fb", "PSK-1-a%0D%0Ab", "PSK-1-%C3%A9", "%00",
            "LONG_300",
    })
    void referenceThatCannotExistIsNotFoundWithoutAskingAnyone(String reference) {
        String path = reference.equals("LONG_300") ? "PSK-" + "9".repeat(296) : reference;
        given().urlEncodingEnabled(false).get("/api/payment/verify/" + path)
                .then().statusCode(404)
                .body("success", equalTo(false))
                .body("error.code", equalTo("NOT_FOUND"))
                .body("error.requestId", notNullValue());
        assertEquals(0, ProviderStandIns.paystack().findAll(anyRequestedFor(anyUrl())).size());
        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size());
        assertEquals(0, Sql.count("SELECT count(*) FROM payments"));
    }

    @Test
    void paidPaystackPaymentBecomesSuccessAndOneReceiptIsMailedHoweverOftenItIsVerified() throws Exception {
        Stubs.payment("PSK-1-paid", "paystack", "acc_1", 2500, "KES", "pending", 1);
        Stubs.paystackVerify("PSK-1-paid", "success", 250000, "KES");

        for (int i = 0; i < 3; i++) {
            given().get("/api/payment/verify/PSK-1-paid")
                    .then().statusCode(200)
                    .body("success", equalTo(true))
                    .body("data.reference", equalTo("PSK-1-paid"))
                    .body("data.status", equalTo("success"))
                    .body("data.amount", equalTo(2500))
                    .body("data.currency", equalTo("KES"))
                    .body("data.paidAt", notNullValue());
        }

        Map<String, Object> row = Sql.rows("SELECT status, paid_at FROM payments WHERE reference = 'PSK-1-paid'").get(0);
        assertEquals("success", row.get("status"));
        assertNotNull(row.get("paid_at"));
        // Once success, the row answers: the provider was asked once.
        assertEquals(1, ProviderStandIns.paystack().findAll(getRequestedFor(urlEqualTo("/transaction/verify/PSK-1-paid"))).size());
        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox WHERE dedupe_key = 'payment-receipt:PSK-1-paid'"));
        await().atMost(Duration.ofSeconds(15)).until(() -> SmtpResource.mail().getReceivedMessages().length == 1);
        MimeMessage receipt = SmtpResource.mail().getReceivedMessages()[0];
        assertEquals("payer@example.com", receipt.getAllRecipients()[0].toString());
        assertTrue(GreenMailUtil.getBody(receipt).contains("PSK-1-paid"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertEquals(1, SmtpResource.mail().getReceivedMessages().length));
    }

    @Test
    void concurrentVerifiesOfAPaidPaymentQueueOneReceipt() throws Exception {
        Stubs.payment("PSK-1-race", "paystack", "acc_r", 2500, "KES", "pending", 1);
        ProviderStandIns.paystack().stubFor(get(urlEqualTo("/transaction/verify/PSK-1-race")).willReturn(Stubs.json(200, """
                {"status":true,"data":{"status":"success","reference":"PSK-1-race","amount":250000,"currency":"KES"}}""")
                .withFixedDelay(200)));

        List<io.restassured.response.Response> answers = Concurrently.run(5,
                () -> given().get("/api/payment/verify/PSK-1-race"));

        answers.forEach(a -> {
            assertEquals(200, a.statusCode());
            assertEquals("success", a.path("data.status"));
        });
        assertTrue(ProviderStandIns.paystack().findAll(getRequestedFor(anyUrl())).size() >= 2,
                "several verifies reached the provider, so several tried to mark the payment paid");
        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox WHERE dedupe_key = 'payment-receipt:PSK-1-race'"));
        await().atMost(Duration.ofSeconds(15)).until(() -> SmtpResource.mail().getReceivedMessages().length == 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertEquals(1, SmtpResource.mail().getReceivedMessages().length));
    }

    @Test
    void amountMismatchIsNeverMarkedPaid() throws Exception {
        Stubs.payment("PSK-1-short", "paystack", "acc_2", 2500, "KES", "pending", 1);
        Stubs.paystackVerify("PSK-1-short", "success", 100, "KES");

        given().get("/api/payment/verify/PSK-1-short")
                .then().statusCode(200)
                .body("data.status", equalTo("pending"))
                .body("data.paidAt", nullValue());

        Map<String, Object> row = Sql.rows("SELECT status, paid_at, notes FROM payments WHERE reference = 'PSK-1-short'")
                .get(0);
        assertEquals("pending", row.get("status"));
        assertNull(row.get("paid_at"));
        assertTrue(((String) row.get("notes")).contains("expected 250000 KES"), (String) row.get("notes"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void currencyMismatchIsNeverMarkedPaid() {
        Stubs.payment("PSK-1-ngn", "paystack", "acc_3", 2500, "KES", "pending", 1);
        Stubs.paystackVerify("PSK-1-ngn", "success", 250000, "NGN");

        given().get("/api/payment/verify/PSK-1-ngn").then().statusCode(200).body("data.status", equalTo("pending"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void paidStripeSessionBecomesSuccess() {
        Stubs.payment("PSK-1-stripe", "stripe", "cs_test_paid", 1500, "USD", "pending", 1);
        Stubs.stripeSession("cs_test_paid", "complete", "paid", 150000, "usd");

        given().get("/api/payment/verify/PSK-1-stripe")
                .then().statusCode(200)
                .body("data.status", equalTo("success"))
                .body("data.provider", equalTo("stripe"));
        assertEquals("success", Sql.rows("SELECT status FROM payments").get(0).get("status"));
        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox WHERE dedupe_key = 'payment-receipt:PSK-1-stripe'"));
        assertEquals(1, ProviderStandIns.stripe()
                .findAll(getRequestedFor(urlPathEqualTo("/v1/checkout/sessions/cs_test_paid"))).size());
    }

    @Test
    void expiredStripeSessionIsCancelled() {
        Stubs.payment("PSK-1-exp", "stripe", "cs_test_exp", 1500, "KES", "pending", 1);
        Stubs.stripeSession("cs_test_exp", "expired", "unpaid", 150000, "kes");

        given().get("/api/payment/verify/PSK-1-exp")
                .then().statusCode(200)
                .body("data.status", equalTo("cancelled"));
        assertEquals("cancelled", Sql.rows("SELECT status FROM payments").get(0).get("status"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void failedPaystackPaymentBecomesFailed() {
        Stubs.payment("PSK-1-fail", "paystack", "acc_4", 100, "KES", "pending", 1);
        Stubs.paystackVerify("PSK-1-fail", "failed", 10000, "KES");

        given().get("/api/payment/verify/PSK-1-fail").then().statusCode(200).body("data.status", equalTo("failed"));
        assertEquals("failed", Sql.rows("SELECT status FROM payments").get(0).get("status"));
    }

    @Test
    void abandonedPaystackPaymentStaysPending() {
        Stubs.payment("PSK-1-aband", "paystack", "acc_5", 100, "KES", "pending", 1);
        Stubs.paystackVerify("PSK-1-aband", "abandoned", 10000, "KES");

        given().get("/api/payment/verify/PSK-1-aband").then().statusCode(200).body("data.status", equalTo("pending"));
        assertEquals("pending", Sql.rows("SELECT status FROM payments").get(0).get("status"));
        assertEquals(1, ProviderStandIns.paystack().findAll(getRequestedFor(anyUrl())).size());
    }

    @Test
    void paidPaymentIsAnsweredFromTheDatabase() {
        Stubs.payment("PSK-1-done", "paystack", "acc_6", 100, "KES", "success", 1);

        given().get("/api/payment/verify/PSK-1-done").then().statusCode(200).body("data.status", equalTo("success"));
        assertEquals(0, ProviderStandIns.paystack().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void longClosedPaymentIsAnsweredFromTheDatabase() {
        Stubs.payment("PSK-1-old", "paystack", "acc_9", 100, "KES", "cancelled", 60 * 49);

        given().get("/api/payment/verify/PSK-1-old").then().statusCode(200).body("data.status", equalTo("cancelled"));
        assertEquals(0, ProviderStandIns.paystack().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void providerDownAnswers502AndLeavesThePaymentUnchanged() {
        Stubs.payment("PSK-1-down", "paystack", "acc_7", 100, "KES", "pending", 5);
        Object updatedBefore = Sql.rows("SELECT updated_at FROM payments").get(0).get("updated_at");
        ProviderStandIns.paystack().stubFor(get(urlEqualTo("/transaction/verify/PSK-1-down"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withFault(Fault.CONNECTION_RESET_BY_PEER)));

        given().get("/api/payment/verify/PSK-1-down")
                .then().statusCode(502)
                .body("success", equalTo(false))
                .body("error.code", equalTo("PROVIDER_ERROR"));

        Map<String, Object> row = Sql.rows("SELECT status, updated_at, notes FROM payments").get(0);
        assertEquals("pending", row.get("status"));
        assertEquals(updatedBefore, row.get("updated_at"));
        assertNull(row.get("notes"));
    }

    @Test
    void stripeDownAnswers502AndLeavesThePaymentUnchanged() {
        Stubs.payment("PSK-1-sdown", "stripe", "cs_test_down", 100, "KES", "pending", 5);
        ProviderStandIns.stripe().stubFor(get(urlPathEqualTo("/v1/checkout/sessions/cs_test_down"))
                .willReturn(Stubs.json(500, "{\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}")));

        given().get("/api/payment/verify/PSK-1-sdown")
                .then().statusCode(502)
                .body("error.code", equalTo("PROVIDER_ERROR"));
        assertEquals("pending", Sql.rows("SELECT status FROM payments").get(0).get("status"));
    }

    @Test
    void databaseDownIsServiceUnavailable() {
        Stubs.payment("PSK-1-nodb", "paystack", "acc_8", 100, "KES", "pending", 1);
        PostgresResource.link().cut();
        try {
            given().get("/api/payment/verify/PSK-1-nodb")
                    .then().statusCode(503)
                    .body("success", equalTo(false))
                    .body("error.code", equalTo("SERVICE_UNAVAILABLE"));
        } finally {
            PostgresResource.link().restore();
        }
        assertEquals(0, ProviderStandIns.paystack().findAll(anyRequestedFor(anyUrl())).size());
        // Back by itself: the next verify reaches the database and the provider (which knows no such transaction).
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/api/payment/verify/PSK-1-nodb")
                .then().statusCode(200).body("data.status", equalTo("pending")));
        assertEquals(1, ProviderStandIns.paystack().findAll(getRequestedFor(urlEqualTo(
                "/transaction/verify/PSK-1-nodb"))).size());
    }
}
