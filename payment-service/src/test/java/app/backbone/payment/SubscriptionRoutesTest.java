package app.backbone.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import app.backbone.payment.catalogue.CatalogueCache;
import app.backbone.testing.Concurrently;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The subscription lifecycle routes: checkout (Idempotency-Key, concurrent double-clicks), the list from our table,
 * cancel and update. Another user's subscription is answered 404 before Stripe is asked anything.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(ProviderStandIns.class)
class SubscriptionRoutesTest {

    @Inject
    CatalogueCache cache;
    @Inject
    MeterRegistry registry;

    @BeforeEach
    void clean() {
        Stubs.clean();
        await().atMost(Duration.ofSeconds(10)).until(cache::isListening);
        cache.invalidate("test");
    }

    // ---- POST /stripe/checkout ------------------------------------------------------------------------------------

    @Test
    void checkoutOpensASubscriptionSessionForTheCallersCustomer() {
        Stubs.mapped("user_sub1", "cus_sub1");
        Stubs.stripePrice("price_basic", true, "recurring");
        stubSession("cs_test_sub1", 0);
        double started = registry.counter("subscriptions.checkout.started").count();

        given().contentType(ContentType.JSON).header("Authorization", token("user_sub1"))
                .body(Map.of("priceId", "price_basic", "quantity", 3, "trialDays", 14,
                        "successUrl", "https://app.shop.test/welcome?session={CHECKOUT_SESSION_ID}"))
                .post("/stripe/checkout")
                .then().statusCode(201)
                .body("success", equalTo(true))
                .body("data.sessionId", equalTo("cs_test_sub1"))
                .body("data.url", equalTo("https://checkout.stripe.com/c/pay/cs_test_sub1"));

        Map<String, String> form = Forms.parse(onlySessionRequest().getBodyAsString());
        assertEquals("subscription", form.get("mode"));
        assertEquals("cus_sub1", form.get("customer"));
        assertEquals("price_basic", form.get("line_items[0][price]"));
        assertEquals("3", form.get("line_items[0][quantity]"));
        assertEquals("14", form.get("subscription_data[trial_period_days]"));
        assertEquals("user_sub1", form.get("subscription_data[metadata][clerk_user_id]"));
        assertEquals("user_sub1", form.get("metadata[clerk_user_id]"));
        assertEquals("https://app.shop.test/welcome?session={CHECKOUT_SESSION_ID}", form.get("success_url"));
        assertEquals("https://shop.test/cancelled", form.get("cancel_url"), "the configured default");
        assertEquals(0, stripe().findAll(postRequestedFor(urlEqualTo("/v1/customers"))).size(),
                "a mapped customer is used as it is");
        assertEquals(started + 1, registry.counter("subscriptions.checkout.started").count());
    }

    @Test
    void checkoutForACallerWithoutCustomerMakesTheCustomerFirst() {
        Stubs.stripePrice("price_basic", true, "recurring");
        stubCustomerCreation("cus_fresh", 0);
        stubSession("cs_test_fresh", 0);

        given().contentType(ContentType.JSON).header("Authorization", token("user_fresh"))
                .body(Map.of("priceId", "price_basic"))
                .post("/stripe/checkout")
                .then().statusCode(201)
                .body("data.sessionId", equalTo("cs_test_fresh"));

        assertEquals(List.of(Map.of("clerk_user_id", "user_fresh", "stripe_customer_id", "cus_fresh")),
                Sql.rows("SELECT clerk_user_id, stripe_customer_id FROM stripe_customer_mapping"));
        assertEquals("customer-user_fresh", stripe().findAll(postRequestedFor(urlEqualTo("/v1/customers"))).get(0)
                .getHeader("Idempotency-Key"));
        Map<String, String> form = Forms.parse(onlySessionRequest().getBodyAsString());
        assertEquals("cus_fresh", form.get("customer"));
        assertEquals("1", form.get("line_items[0][quantity]"));
        assertEquals("https://shop.test/subscribed?session_id={CHECKOUT_SESSION_ID}", form.get("success_url"));
        assertNull(form.get("subscription_data[trial_period_days]"));
    }

    @ParameterizedTest(name = "{0} price is refused")
    @CsvSource(delimiter = '|', value = {
            "unknown   | names no price in the catalogue",
            "inactive  | names a price that is not active",
            "one_time  | names a one-time price; a subscription needs a recurring one",
    })
    void checkoutOfAnUnknownInactiveOrOneTimePriceIsRefusedBeforeAnythingIsMade(String kind, String message) {
        switch (kind) {
            case "inactive" -> Stubs.stripePrice("price_x_" + kind, false, "recurring");
            case "one_time" -> Stubs.stripePrice("price_x_" + kind, true, "one_time");
            default -> stripe().stubFor(get(urlPathEqualTo("/v1/prices/price_x_unknown")).willReturn(Stubs.json(404, """
                    {"error":{"type":"invalid_request_error","code":"resource_missing","param":"id",
                     "message":"No such price: 'price_x_unknown'"}}""")));
        }

        given().contentType(ContentType.JSON).header("Authorization", token("user_price"))
                .body(Map.of("priceId", "price_x_" + kind))
                .post("/stripe/checkout")
                .then().statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details[0].field", equalTo("priceId"))
                .body("error.details[0].message", equalTo(message));

        assertEquals(1, stripe().findAll(anyRequestedFor(anyUrl())).size(), "only the price was looked up");
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping"));
    }

    @ParameterizedTest(name = "{0} = {1} is refused")
    @CsvSource(delimiter = '|', value = {
            "successUrl | https://evil.test/welcome                | must be on one of the app's origins",
            "successUrl | https://shop.test.evil.test/welcome      | must be on one of the app's origins",
            "successUrl | http://shop.test/welcome                 | must be on one of the app's origins",
            "cancelUrl  | https://shop.test:8443/back              | must be on one of the app's origins",
            "cancelUrl  | javascript:alert(1)                      | must be an absolute http(s) URL",
            "cancelUrl  | /relative/back                           | must be an absolute http(s) URL",
            "successUrl | https://user@shop.test/welcome           | must be an absolute http(s) URL",
    })
    void checkoutUrlOffTheAppsOriginsIsRefusedBeforeStripeIsAsked(String field, String url, String message) {
        given().contentType(ContentType.JSON).header("Authorization", token("user_urls"))
                .body(Map.of("priceId", "price_basic", field, url))
                .post("/stripe/checkout")
                .then().statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details[0].field", equalTo(field))
                .body("error.details[0].message", equalTo(message));

        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping"));
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "priceId   | {}",
            "priceId   | {\"priceId\":\"price with spaces\"}",
            "quantity  | {\"priceId\":\"price_basic\",\"quantity\":0}",
            "quantity  | {\"priceId\":\"price_basic\",\"quantity\":1.5}",
            "quantity  | {\"priceId\":\"price_basic\",\"quantity\":10001}",
            "trialDays | {\"priceId\":\"price_basic\",\"trialDays\":0}",
            "trialDays | {\"priceId\":\"price_basic\",\"trialDays\":731}",
            "trialDays | {\"priceId\":\"price_basic\",\"trialDays\":7.5}",
    })
    void checkoutWithABadFieldIsAValidationErrorBeforeStripeIsAsked(String field, String body) {
        given().contentType(ContentType.JSON).header("Authorization", token("user_bad"))
                .body(body)
                .post("/stripe/checkout")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.field", hasItem(field));

        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void checkoutWithoutBodyOrWithWrongTypesIsInvalidJson() {
        given().contentType(ContentType.JSON).header("Authorization", token("user_bad"))
                .post("/stripe/checkout")
                .then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"));
        given().contentType(ContentType.JSON).header("Authorization", token("user_bad"))
                .body("{\"priceId\":123}")
                .post("/stripe/checkout")
                .then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"))
                .body("error.details.field", hasItem("priceId"));
        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void sameIdempotencyKeyAnswersTheSameSessionWithoutASecondStripeCall() {
        Stubs.mapped("user_idem", "cus_idem");
        Stubs.stripePrice("price_basic", true, "recurring");
        stubSession("cs_test_idem", 0);

        Response first = checkout("user_idem", "key-1", Map.of("priceId", "price_basic", "quantity", 2));
        Response second = checkout("user_idem", "key-1", Map.of("priceId", "price_basic", "quantity", 2));

        assertEquals(201, first.statusCode(), first.asString());
        assertEquals(201, second.statusCode(), second.asString());
        assertNull(first.header("Idempotent-Replayed"));
        assertEquals("true", second.header("Idempotent-Replayed"));
        assertEquals("cs_test_idem", second.path("data.sessionId"));
        assertEquals((String) first.path("data.url"), second.path("data.url"));
        assertEquals(1, stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))).size());
        assertEquals(List.of(Map.of("idempotency_key", "key-1", "session_id", "cs_test_idem")),
                Sql.rows("SELECT idempotency_key, session_id FROM subscription_checkouts WHERE clerk_user_id = 'user_idem'"));
    }

    @Test
    void sameIdempotencyKeyWithAnotherBodyIsAConflict() {
        Stubs.mapped("user_idem2", "cus_idem2");
        Stubs.stripePrice("price_basic", true, "recurring");
        stubSession("cs_test_idem2", 0);
        assertEquals(201, checkout("user_idem2", "key-2", Map.of("priceId", "price_basic")).statusCode());

        checkout("user_idem2", "key-2", Map.of("priceId", "price_basic", "quantity", 5))
                .then().statusCode(409)
                .body("error.code", equalTo("CONFLICT"))
                .body("error.message", equalTo("This Idempotency-Key was already used with a different checkout"));

        assertEquals(1, stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))).size());
    }

    @Test
    void idempotencyKeysArePerUser() {
        Stubs.mapped("user_k1", "cus_k1");
        Stubs.mapped("user_k2", "cus_k2");
        Stubs.stripePrice("price_basic", true, "recurring");
        stubSession("cs_test_k", 0);

        assertEquals(201, checkout("user_k1", "shared-key", Map.of("priceId", "price_basic")).statusCode());
        Response other = checkout("user_k2", "shared-key", Map.of("priceId", "price_basic"));

        assertEquals(201, other.statusCode());
        assertNull(other.header("Idempotent-Replayed"), "another user's key is never replayed");
        List<LoggedRequest> sessions = stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions")));
        assertEquals(List.of("cus_k1", "cus_k2"), sessions.stream()
                .map(r -> Forms.parse(r.getBodyAsString()).get("customer")).toList());
    }

    @Test
    void badIdempotencyKeyIsAValidationError() {
        checkout("user_idem3", "x".repeat(256), Map.of("priceId", "price_basic"))
                .then().statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details[0].field", equalTo("Idempotency-Key"));
        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void concurrentDoubleClicksWithOneKeyOpenOneSessionAndMakeOneCustomer() throws Exception {
        Stubs.stripePrice("price_basic", true, "recurring");
        stubCustomerCreation("cus_double", 300);
        stubSession("cs_test_double", 500);

        List<Response> answers = Concurrently.run(8, () -> checkout("user_double", "click-1",
                Map.of("priceId", "price_basic")));

        for (Response answer : answers) {
            assertEquals(201, answer.statusCode(), answer.asString());
            assertEquals("cs_test_double", answer.path("data.sessionId"));
        }
        assertEquals(7, answers.stream().filter(a -> "true".equals(a.header("Idempotent-Replayed"))).count());
        assertEquals(1, stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))).size());
        assertEquals(1, stripe().findAll(postRequestedFor(urlEqualTo("/v1/customers"))).size());
        assertEquals(1, Sql.count("SELECT count(*) FROM stripe_customer_mapping WHERE clerk_user_id = 'user_double'"));
        assertEquals(1, Sql.count("SELECT count(*) FROM subscription_checkouts WHERE session_id = 'cs_test_double'"));
    }

    @Test
    void concurrentDoubleClicksWithoutKeyOpenOneSession() throws Exception {
        Stubs.mapped("user_nokey", "cus_nokey");
        Stubs.stripePrice("price_basic", true, "recurring");
        stubSession("cs_test_nokey", 500);

        List<Response> answers = Concurrently.run(6, () -> given().contentType(ContentType.JSON)
                .header("Authorization", token("user_nokey")).body(Map.of("priceId", "price_basic"))
                .post("/stripe/checkout"));

        for (Response answer : answers) {
            assertEquals(201, answer.statusCode(), answer.asString());
            assertEquals("cs_test_nokey", answer.path("data.sessionId"));
        }
        assertEquals(1, stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))).size());

        stubSession("cs_test_nokey_other", 0);
        given().contentType(ContentType.JSON).header("Authorization", token("user_nokey"))
                .body(Map.of("priceId", "price_basic", "quantity", 2))
                .post("/stripe/checkout")
                .then().statusCode(201)
                .body("data.sessionId", equalTo("cs_test_nokey_other"));
        assertEquals(2, stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))).size(),
                "another checkout (two seats) is a new session");
    }

    @Test
    void trialLongerThanAllowedIsRefusedBeforeStripeIsAsked() {
        Stubs.mapped("user_trial1", "cus_trial1");
        Stubs.stripePrice("price_basic", true, "recurring");

        given().contentType(ContentType.JSON).header("Authorization", token("user_trial1"))
                .body(Map.of("priceId", "price_basic", "trialDays", 31))
                .post("/stripe/checkout")
                .then().statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details[0].field", equalTo("trialDays"))
                .body("error.details[0].message", equalTo("must be at most 30 days"));
        assertEquals(0, stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))).size());
        assertEquals(0, Sql.count("SELECT count(*) FROM subscription_checkouts"));
    }

    @Test
    void trialIsOnlyForAUsersFirstSubscription() {
        Stubs.mapped("user_trial2", "cus_trial2");
        Stubs.subscriptionRow("sub_trial2_old", "cus_trial2", "canceled", "price_basic");
        Stubs.stripePrice("price_basic", true, "recurring");

        given().contentType(ContentType.JSON).header("Authorization", token("user_trial2"))
                .body(Map.of("priceId", "price_basic", "trialDays", 7))
                .post("/stripe/checkout")
                .then().statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details[0].field", equalTo("trialDays"))
                .body("error.details[0].message", equalTo("is only for a first subscription"));
        assertEquals(0, stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))).size());
    }

    @Test
    void stripeFailureIsAProviderErrorAndGivesTheKeyBackForARetry() {
        Stubs.mapped("user_fail", "cus_fail");
        Stubs.stripePrice("price_basic", true, "recurring");
        stripe().stubFor(post(urlEqualTo("/v1/checkout/sessions")).willReturn(Stubs.json(400, """
                {"error":{"type":"invalid_request_error","message":"No such customer: 'cus_fail'"}}""")));

        checkout("user_fail", "key-fail", Map.of("priceId", "price_basic"))
                .then().statusCode(502)
                .body("error.code", equalTo("PROVIDER_ERROR"));
        assertEquals(0, Sql.count("SELECT count(*) FROM subscription_checkouts"));

        stubSession("cs_test_retry", 0);
        checkout("user_fail", "key-fail", Map.of("priceId", "price_basic"))
                .then().statusCode(201)
                .header("Idempotent-Replayed", nullValue())
                .body("data.sessionId", equalTo("cs_test_retry"));
        List<LoggedRequest> sessions = stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions")));
        assertEquals(2, sessions.size());
        // Each attempt has its own Stripe key, so the retry is not Stripe's replay of the failure.
        assertEquals(2, sessions.stream().map(r -> r.getHeader("Idempotency-Key")).distinct().count());
    }

    @Test
    void keyWhoseRequestDiedIsTakenOverOnceItsLeaseEnds() {
        Stubs.mapped("user_dead", "cus_dead");
        Stubs.stripePrice("price_basic", true, "recurring");
        stubSession("cs_test_dead", 0);
        // What a request that died after claiming the key leaves: no session, past the in-flight limit.
        Sql.update("""
                INSERT INTO subscription_checkouts (clerk_user_id, idempotency_key, fingerprint, claim_id, claimed_until)
                VALUES ('user_dead', 'key-dead', repeat('0', 64), gen_random_uuid(), now() - interval '1 second')""");

        checkout("user_dead", "key-dead", Map.of("priceId", "price_basic"))
                .then().statusCode(201)
                .body("data.sessionId", equalTo("cs_test_dead"));

        assertEquals(List.of(Map.of("session_id", "cs_test_dead")),
                Sql.rows("SELECT session_id FROM subscription_checkouts WHERE clerk_user_id = 'user_dead'"));
    }

    @Test
    void checkoutWithoutTokenIsUnauthorized() {
        given().contentType(ContentType.JSON).body(Map.of("priceId", "price_basic"))
                .post("/stripe/checkout")
                .then().statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED"));
        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    // ---- GET /stripe/subscriptions ------------------------------------------------------------------------------

    @Test
    void subscriptionsListsTheCallersOwnFromOurTable() {
        Stubs.mapped("user_list", "cus_list");
        Stubs.mapped("user_other", "cus_other");
        Stubs.subscriptionRow("sub_list_1", "cus_list", "active", "price_basic");
        Stubs.subscriptionRow("sub_other", "cus_other", "active", "price_pro");
        // The lifecycle fields webhook-service records from customer.subscription.* events (V6).
        Sql.update("""
                UPDATE subscriptions SET product_id = 'prod_basic', quantity = 3, cancel_at_period_end = true,
                       current_period_start = '2026-01-01T00:00:00Z', current_period_end = '2026-02-01T00:00:00Z',
                       cancel_at = '2026-02-01T00:00:00Z', canceled_at = '2026-01-10T00:00:00Z',
                       trial_end = '2026-01-08T00:00:00Z'
                 WHERE id = 'sub_list_1'""");

        given().header("Authorization", token("user_list"))
                .get("/stripe/subscriptions")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("count", equalTo(1))
                .body("hasMore", equalTo(false))
                .body("data.id", equalTo(List.of("sub_list_1")))
                .body("data[0].status", equalTo("active"))
                .body("data[0].priceId", equalTo("price_basic"))
                .body("data[0].customerId", equalTo("cus_list"))
                .body("data[0].productId", equalTo("prod_basic"))
                .body("data[0].quantity", equalTo(3))
                .body("data[0].currentPeriodStart", equalTo("2026-01-01T00:00:00Z"))
                .body("data[0].currentPeriodEnd", equalTo("2026-02-01T00:00:00Z"))
                .body("data[0].cancelAtPeriodEnd", equalTo(true))
                .body("data[0].cancelAt", equalTo("2026-02-01T00:00:00Z"))
                .body("data[0].canceledAt", equalTo("2026-01-10T00:00:00Z"))
                .body("data[0].trialEnd", equalTo("2026-01-08T00:00:00Z"));
        // The route existing clients use answers as before.
        given().header("Authorization", token("user_list"))
                .get("/stripe/subscription")
                .then().statusCode(200)
                .body("data.active", equalTo(true))
                .body("data.subscriptions.id", equalTo(List.of("sub_list_1")));
        given().header("Authorization", token("user_none"))
                .get("/stripe/subscriptions")
                .then().statusCode(200)
                .body("count", equalTo(0))
                .body("data", hasSize(0));
        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size(), "the list is ours, not Stripe's");
    }

    // ---- POST /stripe/subscriptions/{id}/cancel -----------------------------------------------------------------

    @Test
    void cancelAtPeriodEndSetsItAtStripe() {
        Stubs.mapped("user_c1", "cus_c1");
        Stubs.subscriptionRow("sub_c1", "cus_c1", "active", "price_basic");
        stripe().stubFor(post(urlEqualTo("/v1/subscriptions/sub_c1")).willReturn(Stubs.json(200,
                Stubs.stripeSubscription("sub_c1", "cus_c1", "active", "price_basic", 1, true))));
        double cancelled = registry.counter("subscriptions.cancel.requested", "when", "period_end").count();

        given().contentType(ContentType.JSON).header("Authorization", token("user_c1"))
                .body(Map.of("atPeriodEnd", true))
                .post("/stripe/subscriptions/sub_c1/cancel")
                .then().statusCode(200)
                .body("data.id", equalTo("sub_c1"))
                .body("data.status", equalTo("active"))
                .body("data.cancelAtPeriodEnd", equalTo(true))
                .body("data.currentPeriodEnd", equalTo("2026-02-01T00:00:00Z"))
                .body("data.priceId", equalTo("price_basic"));

        List<LoggedRequest> sent = stripe().findAll(anyRequestedFor(anyUrl()));
        assertEquals(1, sent.size());
        assertEquals(Map.of("cancel_at_period_end", "true"), Forms.parse(sent.get(0).getBodyAsString()));
        assertEquals(cancelled + 1, registry.counter("subscriptions.cancel.requested", "when", "period_end").count());
    }

    @Test
    void cancelNowEndsItAtStripe() {
        Stubs.mapped("user_c2", "cus_c2");
        Stubs.subscriptionRow("sub_c2", "cus_c2", "active", "price_basic");
        stripe().stubFor(delete(urlPathEqualTo("/v1/subscriptions/sub_c2")).willReturn(Stubs.json(200,
                Stubs.stripeSubscription("sub_c2", "cus_c2", "canceled", "price_basic", 1, false))));

        given().contentType(ContentType.JSON).header("Authorization", token("user_c2"))
                .body(Map.of("atPeriodEnd", false))
                .post("/stripe/subscriptions/sub_c2/cancel")
                .then().statusCode(200)
                .body("data.status", equalTo("canceled"))
                .body("data.canceledAt", equalTo("2026-01-02T00:00:00Z"));

        List<LoggedRequest> sent = stripe().findAll(deleteRequestedFor(urlPathEqualTo("/v1/subscriptions/sub_c2")));
        assertEquals(1, sent.size());
        assertEquals("true", Forms.parse(sent.get(0).getUrl().replaceFirst("^[^?]*\\??", "")).get("invoice_now"),
                "what the user owes up to now is billed: " + sent.get(0).getUrl());
        assertEquals(1, stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void changeStripeRefusesIsAConflictNotAProviderError() {
        Stubs.mapped("user_c7", "cus_c7");
        Stubs.subscriptionRow("sub_c7", "cus_c7", "active", "price_basic");
        stripe().stubFor(delete(urlPathEqualTo("/v1/subscriptions/sub_c7")).willReturn(Stubs.json(400, """
                {"error":{"type":"invalid_request_error","message":"No such subscription: 'sub_c7'"}}""")));

        given().contentType(ContentType.JSON).header("Authorization", token("user_c7"))
                .body(Map.of("atPeriodEnd", false))
                .post("/stripe/subscriptions/sub_c7/cancel")
                .then().statusCode(409)
                .body("success", equalTo(false))
                .body("error.code", equalTo("CONFLICT"));
        assertEquals(1, stripe().findAll(deleteRequestedFor(urlPathEqualTo("/v1/subscriptions/sub_c7"))).size());
        assertEquals("active", Sql.rows("SELECT status FROM subscriptions WHERE id = 'sub_c7'").get(0).get("status"),
                "our row waits for Stripe's webhook");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sub_of_another_user", "sub_nobody_has", "not-an-id", "sub_other_ended"})
    void cancelOfASubscriptionThatIsNotTheCallersIs404WithoutAskingStripe(String id) {
        Stubs.mapped("user_c3", "cus_c3");
        Stubs.mapped("user_c3_other", "cus_c3_other");
        Stubs.subscriptionRow("sub_of_another_user", "cus_c3_other", "active", "price_basic");
        Stubs.subscriptionRow("sub_other_ended", "cus_c3_other", "canceled", "price_basic");

        given().contentType(ContentType.JSON).header("Authorization", token("user_c3"))
                .body(Map.of("atPeriodEnd", false))
                .post("/stripe/subscriptions/" + id + "/cancel")
                .then().statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"))
                .body("error.message", equalTo("No such subscription"));

        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
        assertEquals(List.of(Map.of("status", "active")),
                Sql.rows("SELECT status FROM subscriptions WHERE id = 'sub_of_another_user'"));
    }

    @Test
    void cancelOfAnEndedSubscriptionIsAConflictWithoutAskingStripe() {
        Stubs.mapped("user_c4", "cus_c4");
        Stubs.subscriptionRow("sub_c4", "cus_c4", "canceled", "price_basic");

        given().contentType(ContentType.JSON).header("Authorization", token("user_c4"))
                .body(Map.of("atPeriodEnd", true))
                .post("/stripe/subscriptions/sub_c4/cancel")
                .then().statusCode(409)
                .body("error.code", equalTo("CONFLICT"));
        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void cancelWithoutAtPeriodEndIsAValidationError() {
        Stubs.mapped("user_c5", "cus_c5");
        Stubs.subscriptionRow("sub_c5", "cus_c5", "active", "price_basic");

        given().contentType(ContentType.JSON).header("Authorization", token("user_c5"))
                .body("{}")
                .post("/stripe/subscriptions/sub_c5/cancel")
                .then().statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details[0].field", equalTo("atPeriodEnd"));
        given().contentType(ContentType.JSON).header("Authorization", token("user_c5"))
                .body("{\"atPeriodEnd\":\"soon\"}")
                .post("/stripe/subscriptions/sub_c5/cancel")
                .then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"));
        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void stripeFailureOnCancelIsAProviderError() {
        Stubs.mapped("user_c6", "cus_c6");
        Stubs.subscriptionRow("sub_c6", "cus_c6", "active", "price_basic");
        stripe().stubFor(delete(urlEqualTo("/v1/subscriptions/sub_c6")).willReturn(Stubs.json(500,
                "{\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}")));

        given().contentType(ContentType.JSON).header("Authorization", token("user_c6"))
                .body(Map.of("atPeriodEnd", false))
                .post("/stripe/subscriptions/sub_c6/cancel")
                .then().statusCode(502)
                .body("error.code", equalTo("PROVIDER_ERROR"));
    }

    // ---- POST /stripe/subscriptions/{id}/update -----------------------------------------------------------------

    @Test
    void updateMovesTheItemToTheNewPriceWithProrationKeepingTheSeats() {
        Stubs.mapped("user_u1", "cus_u1");
        Stubs.subscriptionRow("sub_u1", "cus_u1", "active", "price_basic");
        Stubs.stripePrice("price_pro", true, "recurring");
        stripe().stubFor(get(urlPathEqualTo("/v1/subscriptions/sub_u1")).willReturn(Stubs.json(200,
                Stubs.stripeSubscription("sub_u1", "cus_u1", "active", "price_basic", 4, false))));
        stripe().stubFor(post(urlEqualTo("/v1/subscriptions/sub_u1")).willReturn(Stubs.json(200,
                Stubs.stripeSubscription("sub_u1", "cus_u1", "active", "price_pro", 4, false))));
        double changed = registry.counter("subscriptions.change.requested").count();

        given().contentType(ContentType.JSON).header("Authorization", token("user_u1"))
                .body(Map.of("priceId", "price_pro"))
                .post("/stripe/subscriptions/sub_u1/update")
                .then().statusCode(200)
                .body("data.id", equalTo("sub_u1"))
                .body("data.priceId", equalTo("price_pro"))
                .body("data.quantity", equalTo(4));

        Map<String, String> form = Forms.parse(stripe().findAll(postRequestedFor(urlEqualTo("/v1/subscriptions/sub_u1")))
                .get(0).getBodyAsString());
        assertEquals(Map.of("items[0][id]", "si_sub_u1", "items[0][price]", "price_pro", "items[0][quantity]", "4",
                "proration_behavior", "always_invoice", "payment_behavior", "pending_if_incomplete"), form,
                "an upgrade is charged at once and takes effect once paid");
        assertEquals(changed + 1, registry.counter("subscriptions.change.requested").count());
    }

    @Test
    void updateSetsSeatsAndTheProrationAsAsked() {
        Stubs.mapped("user_u2", "cus_u2");
        Stubs.subscriptionRow("sub_u2", "cus_u2", "trialing", "price_basic");
        Stubs.stripePrice("price_basic", true, "recurring");
        stripe().stubFor(get(urlPathEqualTo("/v1/subscriptions/sub_u2")).willReturn(Stubs.json(200,
                Stubs.stripeSubscription("sub_u2", "cus_u2", "trialing", "price_basic", 1, false))));
        stripe().stubFor(post(urlEqualTo("/v1/subscriptions/sub_u2")).willReturn(Stubs.json(200,
                Stubs.stripeSubscription("sub_u2", "cus_u2", "trialing", "price_basic", 7, false))));

        given().contentType(ContentType.JSON).header("Authorization", token("user_u2"))
                .body(Map.of("priceId", "price_basic", "quantity", 7, "prorationBehavior", "create_prorations"))
                .post("/stripe/subscriptions/sub_u2/update")
                .then().statusCode(200)
                .body("data.quantity", equalTo(7));

        Map<String, String> form = Forms.parse(stripe().findAll(postRequestedFor(urlEqualTo("/v1/subscriptions/sub_u2")))
                .get(0).getBodyAsString());
        assertEquals("7", form.get("items[0][quantity]"));
        assertEquals("create_prorations", form.get("proration_behavior"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sub_of_another_user", "sub_nobody_has"})
    void updateOfASubscriptionThatIsNotTheCallersIs404WithoutAskingStripe(String id) {
        Stubs.mapped("user_u3", "cus_u3");
        Stubs.mapped("user_u3_other", "cus_u3_other");
        Stubs.subscriptionRow("sub_of_another_user", "cus_u3_other", "active", "price_basic");

        given().contentType(ContentType.JSON).header("Authorization", token("user_u3"))
                .body(Map.of("priceId", "price_pro"))
                .post("/stripe/subscriptions/" + id + "/update")
                .then().statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"))
                .body("error.message", equalTo("No such subscription"));

        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size(), "not even the price is looked up");
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "priceId           | {}",
            "quantity          | {\"priceId\":\"price_pro\",\"quantity\":0}",
            "quantity          | {\"priceId\":\"price_pro\",\"quantity\":2.5}",
            "prorationBehavior | {\"priceId\":\"price_pro\",\"prorationBehavior\":\"sometimes\"}",
            "prorationBehavior | {\"priceId\":\"price_pro\",\"prorationBehavior\":\"none\"}",
    })
    void updateWithABadFieldIsAValidationErrorBeforeStripeIsAsked(String field, String body) {
        Stubs.mapped("user_u4", "cus_u4");
        Stubs.subscriptionRow("sub_u4", "cus_u4", "active", "price_basic");

        given().contentType(ContentType.JSON).header("Authorization", token("user_u4"))
                .body(body)
                .post("/stripe/subscriptions/sub_u4/update")
                .then().statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.field", hasItems(field));

        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void updateToAnInactivePriceIsRefusedAndTheSubscriptionIsNotTouched() {
        Stubs.mapped("user_u5", "cus_u5");
        Stubs.subscriptionRow("sub_u5", "cus_u5", "active", "price_basic");
        Stubs.stripePrice("price_gone", false, "recurring");

        given().contentType(ContentType.JSON).header("Authorization", token("user_u5"))
                .body(Map.of("priceId", "price_gone"))
                .post("/stripe/subscriptions/sub_u5/update")
                .then().statusCode(400)
                .body("error.details[0].field", equalTo("priceId"))
                .body("error.details[0].message", equalTo("names a price that is not active"));

        assertEquals(0, stripe().findAll(getRequestedFor(urlPathEqualTo("/v1/subscriptions/sub_u5"))).size());
        assertEquals(0, stripe().findAll(postRequestedFor(urlEqualTo("/v1/subscriptions/sub_u5"))).size());
    }

    @Test
    void updateOfASubscriptionStripeRecordsUnderAnotherCustomerIs404AndChangesNothing() {
        Stubs.mapped("user_u6", "cus_u6");
        Stubs.subscriptionRow("sub_u6", "cus_u6", "active", "price_basic");
        Stubs.stripePrice("price_pro", true, "recurring");
        stripe().stubFor(get(urlPathEqualTo("/v1/subscriptions/sub_u6")).willReturn(Stubs.json(200,
                Stubs.stripeSubscription("sub_u6", "cus_somebody_else", "active", "price_basic", 1, false))));

        given().contentType(ContentType.JSON).header("Authorization", token("user_u6"))
                .body(Map.of("priceId", "price_pro"))
                .post("/stripe/subscriptions/sub_u6/update")
                .then().statusCode(404)
                .body("error.message", equalTo("No such subscription"));

        assertEquals(0, stripe().findAll(postRequestedFor(urlEqualTo("/v1/subscriptions/sub_u6"))).size());
    }

    @Test
    void lifecycleRoutesWithoutTokenAreUnauthorized() {
        given().get("/stripe/subscriptions").then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED"));
        given().contentType(ContentType.JSON).body(Map.of("atPeriodEnd", true))
                .post("/stripe/subscriptions/sub_x/cancel").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("priceId", "price_pro"))
                .post("/stripe/subscriptions/sub_x/update").then().statusCode(401);
        assertEquals(0, stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    private static Response checkout(String user, String key, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).header("Authorization", token(user))
                .header("Idempotency-Key", key).body(body).post("/stripe/checkout");
    }

    private static void stubSession(String id, int delayMillis) {
        stripe().stubFor(post(urlEqualTo("/v1/checkout/sessions")).willReturn(Stubs.json(200, """
                {"id":"%s","object":"checkout.session","mode":"subscription","status":"open","payment_status":"unpaid",
                 "url":"https://checkout.stripe.com/c/pay/%s"}""".formatted(id, id)).withFixedDelay(delayMillis)));
    }

    private static void stubCustomerCreation(String id, int delayMillis) {
        stripe().stubFor(post(urlEqualTo("/v1/customers")).willReturn(Stubs.json(200, """
                {"id":"%s","object":"customer","metadata":{}}""".formatted(id)).withFixedDelay(delayMillis)));
    }

    private static LoggedRequest onlySessionRequest() {
        List<LoggedRequest> sessions = stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions")));
        assertEquals(1, sessions.size(), "checkout sessions opened at Stripe");
        return sessions.get(0);
    }

    private static com.github.tomakehurst.wiremock.WireMockServer stripe() {
        return ProviderStandIns.stripe();
    }

    private static String token(String user) {
        return Tokens.bearer(Tokens.forUser(user));
    }
}
