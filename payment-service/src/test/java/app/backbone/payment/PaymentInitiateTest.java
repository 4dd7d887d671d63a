package app.backbone.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import app.backbone.testing.Concurrently;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(ProviderStandIns.class)
class PaymentInitiateTest {

    private static final String REFERENCE = "PSK-\\d{13}-[a-z0-9]{10}";

    @BeforeEach
    void clean() {
        Stubs.clean();
    }

    @Test
    void paystackInitiateStoresPendingPaymentAndSendsSubunits() {
        Stubs.paystackInitialize("acc_7x1");

        String reference = given().contentType(ContentType.JSON)
                .body(Map.of("email", "ada@example.com", "amount", 2500, "metadata", Map.of("order", "A-17")))
                .post("/api/payment/initiate")
                .then().statusCode(201)
                .body("success", equalTo(true))
                .body("data.reference", matchesPattern(REFERENCE))
                .body("data.authorizationUrl", equalTo("https://checkout.paystack.com/acc_7x1"))
                .body("data.provider", equalTo("paystack"))
                .extract().path("data.reference");

        Map<String, Object> row = Sql.rows("""
                SELECT email, amount, currency, provider, provider_ref, status, clerk_user_id, metadata::text AS metadata
                  FROM payments WHERE reference = ?""", reference).get(0);
        assertEquals("ada@example.com", row.get("email"));
        assertEquals(2500, row.get("amount"));
        assertEquals("KES", row.get("currency"));
        assertEquals("paystack", row.get("provider"));
        assertEquals("acc_7x1", row.get("provider_ref"));
        assertEquals("pending", row.get("status"));
        assertNull(row.get("clerk_user_id"));
        assertEquals("A-17", Stubs.parse((String) row.get("metadata")).path("order").asText());

        List<LoggedRequest> sent = ProviderStandIns.paystack().findAll(postRequestedFor(urlEqualTo("/transaction/initialize")));
        assertEquals(1, sent.size());
        assertEquals("Bearer sk_test_paystack_standin", sent.get(0).getHeader("Authorization"));
        JsonNode body = Stubs.parse(sent.get(0).getBodyAsString());
        assertEquals("ada@example.com", body.path("email").asText());
        assertEquals(250000, body.path("amount").asLong());
        assertEquals(reference, body.path("reference").asText());
        assertEquals("KES", body.path("currency").asText());
        assertEquals("https://shop.test/paid?reference=" + reference, body.path("callback_url").asText());
        assertEquals("A-17", body.path("metadata").path("order").asText());
        assertEquals(reference, body.path("metadata").path("reference").asText());
    }

    @Test
    void stripeInitiateOpensACheckoutSessionWithAnIdempotencyKey() {
        Stubs.stripeSessionCreated("cs_test_a1");

        String reference = given().contentType(ContentType.JSON)
                .body(Map.of("email", "bob@example.com", "amount", 1500, "currency", "usd", "provider", "stripe",
                        "metadata", Map.of("order", "B-9")))
                .post("/api/payment/initiate")
                .then().statusCode(201)
                .body("data.reference", matchesPattern(REFERENCE))
                .body("data.authorizationUrl", equalTo("https://checkout.stripe.com/c/pay/cs_test_a1"))
                .body("data.provider", equalTo("stripe"))
                .extract().path("data.reference");

        Map<String, Object> row = Sql.rows("SELECT amount, currency, provider, provider_ref, status FROM payments"
                + " WHERE reference = ?", reference).get(0);
        assertEquals(Map.of("amount", 1500, "currency", "USD", "provider", "stripe", "provider_ref", "cs_test_a1",
                "status", "pending"), row);

        List<LoggedRequest> sent = ProviderStandIns.stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions")));
        assertEquals(1, sent.size());
        LoggedRequest request = sent.get(0);
        assertEquals("checkout-" + reference, request.getHeader("Idempotency-Key"));
        assertEquals("Bearer sk_test_standin", request.getHeader("Authorization"));
        Map<String, String> form = Forms.parse(request.getBodyAsString());
        assertEquals("payment", form.get("mode"));
        assertEquals(reference, form.get("client_reference_id"));
        assertEquals("150000", form.get("line_items[0][price_data][unit_amount]"));
        assertEquals("usd", form.get("line_items[0][price_data][currency]"));
        assertEquals("1", form.get("line_items[0][quantity]"));
        assertEquals("B-9", form.get("metadata[order]"));
        assertEquals(reference, form.get("metadata[reference]"));
        assertEquals(reference, form.get("payment_intent_data[metadata][reference]"));
        assertEquals("bob@example.com", form.get("customer_email"));
        assertEquals("https://shop.test/paid?reference=" + reference, form.get("success_url"));
        assertEquals("https://shop.test/cancelled?reference=" + reference, form.get("cancel_url"));
    }

    @Test
    void signedInUserIsStoredAndTheirStripeCustomerReused() {
        Sql.update("INSERT INTO stripe_customer_mapping (user_id, clerk_user_id, stripe_customer_id)"
                + " VALUES ('user_pay', 'user_pay', 'cus_known')");
        Stubs.stripeSessionCreated("cs_test_u1");

        String reference = given().contentType(ContentType.JSON)
                .header("Authorization", Tokens.bearer(Tokens.forUser("user_pay")))
                .body(Map.of("email", "carol@example.com", "amount", 300, "provider", "stripe"))
                .post("/api/payment/initiate")
                .then().statusCode(201)
                .extract().path("data.reference");

        assertEquals("user_pay", Sql.rows("SELECT clerk_user_id FROM payments WHERE reference = ?", reference)
                .get(0).get("clerk_user_id"));
        Map<String, String> form = Forms.parse(ProviderStandIns.stripe()
                .findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))).get(0).getBodyAsString());
        assertEquals("cus_known", form.get("customer"));
        assertFalse(form.containsKey("customer_email"));
        assertEquals("30000", form.get("line_items[0][price_data][unit_amount]"));
        assertEquals("kes", form.get("line_items[0][price_data][currency]"));
    }

    @Test
    void invalidTokenOnInitiateIsUnauthorizedAndStoresNothing() {
        given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer not.a.token")
                .body(Map.of("email", "carol@example.com", "amount", 300))
                .post("/api/payment/initiate")
                .then().statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED"));
        assertEquals(0, Sql.count("SELECT count(*) FROM payments"));
        assertEquals(0, ProviderStandIns.paystack().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void sameIdempotencyKeyTwiceGivesOnePayment() {
        Stubs.paystackInitialize("acc_idem");
        Map<String, Object> body = Map.of("email", "dan@example.com", "amount", 700);

        String first = given().contentType(ContentType.JSON).header("Idempotency-Key", "order-42-try")
                .body(body).post("/api/payment/initiate")
                .then().statusCode(201).header("Idempotent-Replayed", nullValue())
                .extract().path("data.reference");
        given().contentType(ContentType.JSON).header("Idempotency-Key", "order-42-try")
                .body(body).post("/api/payment/initiate")
                .then().statusCode(201)
                .header("Idempotent-Replayed", "true")
                .body("data.reference", equalTo(first))
                .body("data.authorizationUrl", equalTo("https://checkout.paystack.com/acc_idem"))
                .body("data.provider", equalTo("paystack"));

        assertEquals(1, Sql.count("SELECT count(*) FROM payments"));
        assertEquals(1, ProviderStandIns.paystack().findAll(postRequestedFor(urlEqualTo("/transaction/initialize"))).size());
    }

    @Test
    void concurrentRetriesWithOneIdempotencyKeyGiveOnePayment() throws Exception {
        // A slow provider keeps the first request busy while the others arrive.
        ProviderStandIns.stripe().stubFor(post(urlEqualTo("/v1/checkout/sessions")).willReturn(Stubs.json(200, """
                {"id":"cs_test_conc","object":"checkout.session","status":"open","url":"https://checkout.stripe.com/c/pay/cs_test_conc"}""")
                .withFixedDelay(700)));
        Map<String, Object> body = Map.of("email", "eve@example.com", "amount", 900, "provider", "stripe");

        List<Response> answers = Concurrently.run(8, () -> given().contentType(ContentType.JSON)
                .header("Idempotency-Key", "conc-key-1").body(body).post("/api/payment/initiate"));

        Set<String> references = new HashSet<>();
        for (Response answer : answers) {
            assertEquals(201, answer.statusCode(), answer.asString());
            references.add(answer.path("data.reference"));
        }
        assertEquals(1, references.size());
        assertEquals(1, Sql.count("SELECT count(*) FROM payments"));
        assertEquals(1, ProviderStandIns.stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))).size());
        assertEquals(7, answers.stream().filter(a -> "true".equals(a.header("Idempotent-Replayed"))).count());
    }

    @Test
    void idempotencyKeyReusedWithAnotherBodyIsAConflict() {
        Stubs.paystackInitialize("acc_c");
        given().contentType(ContentType.JSON).header("Idempotency-Key", "reuse-1")
                .body(Map.of("email", "fay@example.com", "amount", 100)).post("/api/payment/initiate")
                .then().statusCode(201);
        given().contentType(ContentType.JSON).header("Idempotency-Key", "reuse-1")
                .body(Map.of("email", "fay@example.com", "amount", 200)).post("/api/payment/initiate")
                .then().statusCode(409)
                .body("error.code", equalTo("CONFLICT"));
        assertEquals(1, Sql.count("SELECT count(*) FROM payments"));
    }

    @Test
    void providerFailureMarksThePaymentFailedAndAnswers502() {
        ProviderStandIns.paystack().stubFor(post(urlEqualTo("/transaction/initialize"))
                .willReturn(Stubs.json(500, "{\"status\":false,\"message\":\"Internal error\"}")));

        given().contentType(ContentType.JSON).header("Idempotency-Key", "fails-once")
                .body(Map.of("email", "gus@example.com", "amount", 100))
                .post("/api/payment/initiate")
                .then().statusCode(502)
                .body("success", equalTo(false))
                .body("error.code", equalTo("PROVIDER_ERROR"));

        List<Map<String, Object>> rows = Sql.rows("SELECT status, notes FROM payments");
        assertEquals(1, rows.size());
        assertEquals("failed", rows.get(0).get("status"));
        assertTrue(((String) rows.get(0).get("notes")).startsWith("initiate failed"));
        // The key was given back: a retry makes a new attempt instead of replaying the failure.
        assertEquals(0, Sql.count("SELECT count(*) FROM payment_idempotency"));
        Stubs.paystackInitialize("acc_retry");
        given().contentType(ContentType.JSON).header("Idempotency-Key", "fails-once")
                .body(Map.of("email", "gus@example.com", "amount", 100))
                .post("/api/payment/initiate")
                .then().statusCode(201)
                .body("data.authorizationUrl", equalTo("https://checkout.paystack.com/acc_retry"));
        assertEquals(1, Sql.count("SELECT count(*) FROM payments WHERE status = 'pending'"));
    }

    @Test
    void stripeDownOnInitiateMarksThePaymentFailedAndAnswers502() {
        ProviderStandIns.stripe().stubFor(post(urlEqualTo("/v1/checkout/sessions"))
                .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));

        given().contentType(ContentType.JSON)
                .body(Map.of("email", "kim@example.com", "amount", 100, "provider", "stripe"))
                .post("/api/payment/initiate")
                .then().statusCode(502)
                .body("error.code", equalTo("PROVIDER_ERROR"));

        assertEquals("failed", Sql.rows("SELECT status FROM payments").get(0).get("status"));
        // stripe-java retried once, with the same idempotency key.
        List<LoggedRequest> sent = ProviderStandIns.stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions")));
        assertEquals(2, sent.size());
        assertEquals(sent.get(0).getHeader("Idempotency-Key"), sent.get(1).getHeader("Idempotency-Key"));
    }

    @Test
    void stripeRetriesATransientFailureWithTheSameIdempotencyKey() {
        ProviderStandIns.stripe().stubFor(post(urlEqualTo("/v1/checkout/sessions")).inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .willReturn(aResponse().withStatus(500).withHeader("Stripe-Should-Retry", "true")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"type\":\"api_error\",\"message\":\"try again\"}}")));
        ProviderStandIns.stripe().stubFor(post(urlEqualTo("/v1/checkout/sessions")).inScenario("flaky")
                .whenScenarioStateIs("recovered")
                .willReturn(Stubs.json(200, """
                        {"id":"cs_test_r","object":"checkout.session","status":"open","url":"https://checkout.stripe.com/c/pay/cs_test_r"}""")));

        String reference = given().contentType(ContentType.JSON)
                .body(Map.of("email", "hal@example.com", "amount", 100, "provider", "stripe"))
                .post("/api/payment/initiate")
                .then().statusCode(201)
                .extract().path("data.reference");

        List<LoggedRequest> sent = ProviderStandIns.stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions")));
        assertEquals(2, sent.size());
        assertEquals("checkout-" + reference, sent.get(0).getHeader("Idempotency-Key"));
        assertEquals("checkout-" + reference, sent.get(1).getHeader("Idempotency-Key"));
        assertEquals("cs_test_r", Sql.rows("SELECT provider_ref FROM payments").get(0).get("provider_ref"));
    }

    @ParameterizedTest(name = "{0} = {1} is rejected")
    @CsvSource(delimiter = '|', value = {
            "amount   | 0              | must be a positive whole number",
            "amount   | -5             | must be a positive whole number",
            "amount   | 10.5           | must be a positive whole number",
            "amount   | 1000000        | must be at most 999999",
            "amount   | NULL           | is required",
            "currency | XYZ            | must be one of EUR, GBP, GHS, KES, NGN, USD, ZAR",
            "currency | KESS           | must be a three-letter ISO currency code",
            "provider | mpesa          | must be stripe or paystack",
            "email    | not-an-email   | must be a well-formed email address",
            "email    | NULL           | is required",
    })
    void invalidFieldIsRejectedAndNothingIsStored(String field, String value, String message) {
        Map<String, Object> body = new HashMap<>(Map.of("email", "ivy@example.com", "amount", 100));
        Object typed = "NULL".equals(value) ? null : field.equals("amount") ? new java.math.BigDecimal(value) : value;
        body.put(field, typed);

        given().contentType(ContentType.JSON).body(body)
                .post("/api/payment/initiate")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.field", hasItem(field))
                .body("error.details.findAll { it.field == '" + field + "' }.message", hasItem(message));
        assertEquals(0, Sql.count("SELECT count(*) FROM payments"));
        assertEquals(0, ProviderStandIns.paystack().findAll(anyRequestedFor(anyUrl())).size());
        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void metadataKeyTooLongIsRejected() {
        given().contentType(ContentType.JSON)
                .body(Map.of("email", "jo@example.com", "amount", 100, "metadata", Map.of("k".repeat(41), "v")))
                .post("/api/payment/initiate")
                .then().statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details[0].field", equalTo("metadata." + "k".repeat(41)));
        assertEquals(0, Sql.count("SELECT count(*) FROM payments"));
    }

    @Test
    void bodyThatIsNotJsonIsRejected() {
        given().contentType(ContentType.JSON).body("{\"email\": ")
                .post("/api/payment/initiate")
                .then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"));
        assertEquals(0, Sql.count("SELECT count(*) FROM payments"));
    }

    @ParameterizedTest(name = "{0} = {1} is INVALID_JSON")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "email    | 123",
            "email    | [\"ivy@example.com\"]",
            "amount   | \"abc\"",
            "amount   | {\"value\":100}",
            "amount   | [100]",
            "amount   | true",
            "currency | 840",
            "provider | [\"stripe\"]",
            "metadata | [1]",
            "metadata | \"note\"",
            "metadata | 5",
    })
    void fieldOfTheWrongJsonTypeIsInvalidJsonAndNothingIsStored(String field, String json) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("email", "\"ivy@example.com\"");
        fields.put("amount", "100");
        fields.put(field, json);
        String body = fields.entrySet().stream().map(f -> "\"" + f.getKey() + "\":" + f.getValue())
                .collect(java.util.stream.Collectors.joining(",", "{", "}"));

        given().contentType(ContentType.JSON).body(body)
                .post("/api/payment/initiate")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("INVALID_JSON"))
                .body("error.details[0].field", equalTo(field))
                .body("error.details[0].message", equalTo("has the wrong type"));
        assertEquals(0, Sql.count("SELECT count(*) FROM payments"));
        assertEquals(0, ProviderStandIns.paystack().findAll(anyRequestedFor(anyUrl())).size());
        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @ParameterizedTest(name = "body {0} is INVALID_JSON")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"[]", "[{\"email\":\"ivy@example.com\",\"amount\":100}]",
            "\"ivy@example.com\"", "100", "true"})
    void bodyThatIsNotAnObjectIsInvalidJsonAndNothingIsStored(String body) {
        given().contentType(ContentType.JSON).body(body)
                .post("/api/payment/initiate")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("INVALID_JSON"));
        assertEquals(0, Sql.count("SELECT count(*) FROM payments"));
        assertEquals(0, ProviderStandIns.paystack().findAll(anyRequestedFor(anyUrl())).size());
    }

    @ParameterizedTest(name = "NUL in {0} is VALIDATION_ERROR")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "email           | {\"email\":\"ivy\\u0000@example.com\",\"amount\":100}",
            "metadata.note   | {\"email\":\"ivy@example.com\",\"amount\":100,\"metadata\":{\"note\":\"a\\u0000b\"}}",
            "metadata        | {\"email\":\"ivy@example.com\",\"amount\":100,\"metadata\":{\"no\\u0000te\":\"a\"}}",
            "metadata.nested | {\"email\":\"ivy@example.com\",\"amount\":100,\"metadata\":{\"nested\":{\"deep\":[\"\\u0000\"]}}}",
    })
    void nulCharacterIsAValidationErrorAndNothingIsStored(String field, String body) {
        given().contentType(ContentType.JSON).body(body)
                .post("/api/payment/initiate")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details[0].field", org.hamcrest.Matchers.startsWith(field))
                .body("error.details[0].message", equalTo("must not contain NUL characters"));
        assertEquals(0, Sql.count("SELECT count(*) FROM payments"));
        assertEquals(0, ProviderStandIns.paystack().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void callerWhoHangsUpBeforeTheProviderAnswersNeverLeavesAPaymentPendingWithoutItsProviderReference()
            throws Exception {
        ProviderStandIns.paystack().stubFor(post(urlEqualTo("/transaction/initialize")).willReturn(Stubs.json(200, """
                {"status":true,"message":"Authorization URL created","data":{
                 "authorization_url":"https://checkout.paystack.com/acc_hangup","access_code":"acc_hangup"}}""")
                .withFixedDelay(1000)));
        String body = "{\"email\":\"hang@example.com\",\"amount\":100}";

        try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            socket.getOutputStream().write(("POST /api/payment/initiate HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // Hang up while the provider is still answering.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() ->
                    !ProviderStandIns.paystack().findAll(postRequestedFor(urlEqualTo("/transaction/initialize"))).isEmpty());
        }

        // The provider's answer is recorded (or, had it failed, the payment closed as failed), caller or not.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> Sql.count(
                "SELECT count(*) FROM payments WHERE provider_ref IS NOT NULL OR status <> 'pending'") == 1);
        Map<String, Object> row = Sql.rows("SELECT status, provider_ref FROM payments").get(0);
        if ("pending".equals(row.get("status"))) {
            assertEquals("acc_hangup", row.get("provider_ref"));
        }
    }
}
