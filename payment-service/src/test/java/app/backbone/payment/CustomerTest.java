package app.backbone.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
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
class CustomerTest {

    @BeforeEach
    void clean() {
        Stubs.clean();
    }

    @Test
    void firstCallCreatesTheCustomerAndTheSecondFindsIt() {
        stubCustomer("cus_new1", 0);
        String token = Tokens.bearer(Tokens.forUser("user_one"));

        given().contentType(ContentType.JSON).header("Authorization", token)
                .body(Map.of("email", "one@example.com", "name", "User One"))
                .post("/stripe/customer")
                .then().statusCode(201)
                .body("success", equalTo(true))
                .body("created", equalTo(true))
                .body("data.id", equalTo("cus_new1"))
                .body("data.object", equalTo("customer"));

        assertEquals(List.of(Map.of("clerk_user_id", "user_one", "stripe_customer_id", "cus_new1")),
                Sql.rows("SELECT clerk_user_id, stripe_customer_id FROM stripe_customer_mapping"));
        List<LoggedRequest> created = ProviderStandIns.stripe().findAll(postRequestedFor(urlEqualTo("/v1/customers")));
        assertEquals(1, created.size());
        assertEquals("customer-user_one", created.get(0).getHeader("Idempotency-Key"));
        Map<String, String> form = Forms.parse(created.get(0).getBodyAsString());
        assertEquals("one@example.com", form.get("email"));
        assertEquals("User One", form.get("name"));
        assertEquals("user_one", form.get("metadata[clerk_user_id]"));

        given().contentType(ContentType.JSON).header("Authorization", token).body("{}")
                .post("/stripe/customer")
                .then().statusCode(200)
                .body("created", equalTo(false))
                .body("data.id", equalTo("cus_new1"));
        assertEquals(1, ProviderStandIns.stripe().findAll(postRequestedFor(urlEqualTo("/v1/customers"))).size());
        assertEquals(1, Sql.count("SELECT count(*) FROM stripe_customer_mapping"));
    }

    @Test
    void eightConcurrentFirstCallsCreateOneCustomerAndOneMapping() throws Exception {
        stubCustomer("cus_conc", 300);
        String token = Tokens.bearer(Tokens.forUser("user_conc"));

        List<Response> answers = Concurrently.run(8, () -> given().contentType(ContentType.JSON)
                .header("Authorization", token).body(Map.of("email", "conc@example.com"))
                .post("/stripe/customer"));

        assertEquals(1, answers.stream().filter(a -> a.statusCode() == 201).count());
        assertEquals(7, answers.stream().filter(a -> a.statusCode() == 200).count());
        answers.forEach(a -> assertEquals("cus_conc", a.path("data.id")));
        assertEquals(1, ProviderStandIns.stripe().findAll(postRequestedFor(urlEqualTo("/v1/customers"))).size());
        assertEquals(1, Sql.count("SELECT count(*) FROM stripe_customer_mapping WHERE clerk_user_id = 'user_conc'"));
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_claims"));
    }

    @Test
    void hundredFirstTimeUsersAtOnceAllGetACustomerWithoutHoldingConnectionsDuringStripe() throws Exception {
        int users = 100;
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            String customer = """
                    {"id":"cus_burst_%d","object":"customer","metadata":{"clerk_user_id":"user_burst_%d"}}"""
                    .formatted(i, i);
            ProviderStandIns.stripe().stubFor(post(urlEqualTo("/v1/customers"))
                    .withHeader("Idempotency-Key", WireMock.equalTo("customer-user_burst_" + i))
                    .willReturn(Stubs.json(200, customer).withFixedDelay(2000)));
            tokens.add(Tokens.bearer(Tokens.forUser("user_burst_" + i)));
        }
        // Warm the request path (client threads, token checks, pool) so the burst reaches Stripe within its 2 s.
        AtomicInteger warm = new AtomicInteger();
        Concurrently.run(users, () -> given().header("Authorization",
                tokens.get(warm.getAndIncrement())).get("/stripe/subscription").then().statusCode(200));
        AtomicInteger next = new AtomicInteger();

        List<Response> answers = Concurrently.run(users, () -> given().contentType(ContentType.JSON)
                .header("Authorization", tokens.get(next.getAndIncrement())).body("{}").post("/stripe/customer"));

        Set<String> ids = new HashSet<>();
        for (Response answer : answers) {
            assertEquals(201, answer.statusCode(), answer.asString());
            assertEquals(Boolean.TRUE, answer.path("created"));
            ids.add(answer.path("data.id"));
        }
        assertEquals(users, ids.size());
        assertEquals(users, Sql.count("SELECT count(*) FROM stripe_customer_mapping"
                + " WHERE stripe_customer_id = replace(clerk_user_id, 'user_burst_', 'cus_burst_')"));
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_claims"));
        List<LoggedRequest> created = ProviderStandIns.stripe().findAll(postRequestedFor(urlEqualTo("/v1/customers")));
        // One creation per user; on a loaded machine stripe-java may resend one after its 3 s test read timeout, with
        // the same idempotency key, which Stripe answers with the same customer.
        assertEquals(users, created.stream().map(r -> r.getHeader("Idempotency-Key")).distinct().count());
        assertTrue(created.stream().allMatch(r -> r.getHeader("Idempotency-Key")
                .matches("customer-user_burst_\\d+")));
        // Had each request held one of the 20 connections while Stripe answered (2 s), no 2 s window could see more
        // than 20 users' calls reach Stripe.
        long mostInTwoSeconds = mostUsersCallingWithin(created, 2000);
        assertTrue(mostInTwoSeconds > 25, mostInTwoSeconds + " users' calls reached Stripe within 2 s at most");

        given().header("Authorization", tokens.get(0))
                .get("/stripe/subscription")
                .then().statusCode(200)
                .time(lessThan(2000L))
                .body("success", equalTo(true))
                .body("data.active", equalTo(false));
    }

    @Test
    void claimOfARequestThatDiedIsTakenOverOnceItsLeaseEnds() {
        stubCustomer("cus_orphan", 0);
        Sql.update("INSERT INTO stripe_customer_claims (clerk_user_id, claim_id, claimed_until)"
                + " VALUES ('user_orphan', gen_random_uuid(), now() - interval '1 second')");

        given().contentType(ContentType.JSON).header("Authorization", Tokens.bearer(Tokens.forUser("user_orphan")))
                .body("{}")
                .post("/stripe/customer")
                .then().statusCode(201)
                .body("created", equalTo(true))
                .body("data.id", equalTo("cus_orphan"));

        assertEquals(List.of(Map.of("clerk_user_id", "user_orphan", "stripe_customer_id", "cus_orphan")),
                Sql.rows("SELECT clerk_user_id, stripe_customer_id FROM stripe_customer_mapping"));
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_claims"));
        assertEquals(1, ProviderStandIns.stripe().findAll(postRequestedFor(urlEqualTo("/v1/customers"))).size());
    }

    @Test
    void claimThatExpiresWhileARequestWaitsIsTakenOver() {
        stubCustomer("cus_late", 0);
        Sql.update("INSERT INTO stripe_customer_claims (clerk_user_id, claim_id, claimed_until)"
                + " VALUES ('user_late', gen_random_uuid(), now() + interval '1 second')");

        given().contentType(ContentType.JSON).header("Authorization", Tokens.bearer(Tokens.forUser("user_late")))
                .body("{}")
                .post("/stripe/customer")
                .then().statusCode(201)
                .body("created", equalTo(true))
                .body("data.id", equalTo("cus_late"));

        assertEquals(1, Sql.count("SELECT count(*) FROM stripe_customer_mapping WHERE clerk_user_id = 'user_late'"));
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_claims"));
    }

    @Test
    void requestWaitingLongerThanTheClaimWaitIsAConflict() {
        stubCustomer("cus_busy", 0);
        Sql.update("INSERT INTO stripe_customer_claims (clerk_user_id, claim_id, claimed_until)"
                + " VALUES ('user_busy', gen_random_uuid(), now() + interval '1 hour')");

        given().contentType(ContentType.JSON).header("Authorization", Tokens.bearer(Tokens.forUser("user_busy")))
                .body("{}")
                .post("/stripe/customer")
                .then().statusCode(409)
                .body("success", equalTo(false))
                .body("error.code", equalTo("CONFLICT"))
                .body("error.message", org.hamcrest.Matchers.containsString("retry shortly"));

        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size());
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping"));
        assertEquals(1, Sql.count("SELECT count(*) FROM stripe_customer_claims WHERE clerk_user_id = 'user_busy'"));
    }

    @Test
    void mappingToADeletedCustomerIsNeverHandedOutAndANewCustomerIsMade() {
        stubCustomer("cus_fresh", 0);
        Sql.update("INSERT INTO stripe_customer_mapping (user_id, clerk_user_id, stripe_customer_id)"
                + " VALUES ('user_del', 'user_del', 'cus_gone')");
        Sql.update("INSERT INTO stripe_deleted_customers (stripe_customer_id, clerk_user_id)"
                + " VALUES ('cus_gone', 'user_del')");

        given().contentType(ContentType.JSON).header("Authorization", Tokens.bearer(Tokens.forUser("user_del")))
                .body("{}")
                .post("/stripe/customer")
                .then().statusCode(201)
                .body("created", equalTo(true))
                .body("data.id", equalTo("cus_fresh"));

        assertEquals(List.of(Map.of("clerk_user_id", "user_del", "stripe_customer_id", "cus_fresh")),
                Sql.rows("SELECT clerk_user_id, stripe_customer_id FROM stripe_customer_mapping"));
        List<LoggedRequest> created = ProviderStandIns.stripe().findAll(postRequestedFor(urlEqualTo("/v1/customers")));
        assertEquals(1, created.size());
        // Stripe would answer the user's first key with the deleted customer for 24 hours.
        assertEquals("customer-user_del-after-cus_gone", created.get(0).getHeader("Idempotency-Key"));
        assertEquals(0, ProviderStandIns.stripe()
                .findAll(getRequestedFor(urlEqualTo("/v1/customers/cus_gone"))).size());
    }

    @Test
    void customerMappedByItsWebhookBeforeStripeAnswersIsStillReportedCreated() throws Exception {
        stubCustomer("cus_raced", 1500);
        String token = Tokens.bearer(Tokens.forUser("user_raced"));

        java.util.concurrent.CompletableFuture<Response> answer = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> given().contentType(ContentType.JSON).header("Authorization", token)
                        .body(Map.of("email", "raced@example.com")).post("/stripe/customer"));
        // What webhook-service does on customer.created while payment-service still waits for Stripe's answer.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() ->
                !ProviderStandIns.stripe().findAll(postRequestedFor(urlEqualTo("/v1/customers"))).isEmpty());
        Sql.update("INSERT INTO stripe_customer_mapping (user_id, clerk_user_id, stripe_customer_id)"
                + " VALUES ('user_raced', 'user_raced', 'cus_raced')");

        Response response = answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(201, response.statusCode());
        assertEquals(Boolean.TRUE, response.path("created"));
        assertEquals("cus_raced", response.path("data.id"));
        assertEquals(1, Sql.count("SELECT count(*) FROM stripe_customer_mapping WHERE clerk_user_id = 'user_raced'"));
    }

    @Test
    void metadataIsAcceptedAndCannotOverrideTheUser() {
        stubCustomer("cus_meta", 0);

        given().contentType(ContentType.JSON).header("Authorization", Tokens.bearer(Tokens.forUser("user_meta")))
                .body(Map.of("metadata", Map.of("plan", "pro", "source", "ios", "clerk_user_id", "user_other")))
                .post("/stripe/customer")
                .then().statusCode(201)
                .body("created", equalTo(true));

        Map<String, String> form = Forms.parse(ProviderStandIns.stripe()
                .findAll(postRequestedFor(urlEqualTo("/v1/customers"))).get(0).getBodyAsString());
        assertEquals("pro", form.get("metadata[plan]"));
        assertEquals("ios", form.get("metadata[source]"));
        assertEquals("user_meta", form.get("metadata[clerk_user_id]"));
    }

    @Test
    void invalidEmailIsRejectedBeforeAnythingElse() {
        given().contentType(ContentType.JSON).header("Authorization", Tokens.bearer(Tokens.forUser("user_bad")))
                .body(Map.of("email", "not-an-email"))
                .post("/stripe/customer")
                .then().statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.field", hasItem("email"));
        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size());
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping"));
    }

    @Test
    void metadataThatIsNotAStringMapIsRejected() {
        given().contentType(ContentType.JSON).header("Authorization", Tokens.bearer(Tokens.forUser("user_bad")))
                .body(Map.of("metadata", Map.of("nested", Map.of("a", 1))))
                .post("/stripe/customer")
                .then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"));
        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} is INVALID_JSON")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "name     | {\"name\":123}",
            "name     | {\"name\":{\"a\":1}}",
            "email    | {\"email\":true}",
            "metadata | {\"metadata\":[1]}",
            "metadata | {\"metadata\":{\"plan\":1}}",
            "metadata | {\"metadata\":{\"plan\":[\"pro\"]}}",
            "body     | [{\"name\":\"User One\"}]",
            "body     | \"User One\"",
    })
    void fieldOfTheWrongJsonTypeIsInvalidJsonBeforeAnyStripeCall(String field, String body) {
        given().contentType(ContentType.JSON).header("Authorization", Tokens.bearer(Tokens.forUser("user_bad")))
                .body(body)
                .post("/stripe/customer")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("INVALID_JSON"))
                .body("error.details.field", "body".equals(field) ? org.hamcrest.Matchers.anything()
                        : hasItem(org.hamcrest.Matchers.startsWith(field)));
        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size());
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping"));
    }

    @Test
    void nulCharacterInTheNameIsAValidationErrorBeforeAnyStripeCall() {
        given().contentType(ContentType.JSON).header("Authorization", Tokens.bearer(Tokens.forUser("user_bad")))
                .body(Map.of("name", "User\u0000One", "metadata", Map.of("plan", "pro")))
                .post("/stripe/customer")
                .then().statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details[0].field", equalTo("name"))
                .body("error.details[0].message", equalTo("must not contain NUL characters"));
        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size());
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "metadata {0} is VALIDATION_ERROR")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "key with [            | keys must be 1 to 40 characters without [ or ]",
            "key with ]            | keys must be 1 to 40 characters without [ or ]",
            "key of 41 characters  | keys must be 1 to 40 characters without [ or ]",
            "empty key             | keys must be 1 to 40 characters without [ or ]",
            "value of 501          | values must be at most 500 characters",
            "50 keys               | must have at most 49 keys",
    })
    void metadataStripeWouldMangleOrRefuseIsRejectedBeforeAnyStripeCall(String what, String message) {
        Map<String, String> metadata = new java.util.HashMap<>();
        switch (what) {
            case "key with [" -> metadata.put("plan[tier", "pro");
            case "key with ]" -> metadata.put("plan]", "pro");
            case "key of 41 characters" -> metadata.put("k".repeat(41), "v");
            case "empty key" -> metadata.put("", "v");
            case "value of 501" -> metadata.put("note", "v".repeat(501));
            default -> java.util.stream.IntStream.range(0, 50).forEach(i -> metadata.put("key" + i, "v"));
        }
        given().contentType(ContentType.JSON).header("Authorization", Tokens.bearer(Tokens.forUser("user_meta_bad")))
                .body(Map.of("metadata", metadata))
                .post("/stripe/customer")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details[0].field", equalTo("metadata"))
                .body("error.details[0].message", equalTo(message));
        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size());
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping"));
    }

    @Test
    void customerWithoutTokenIsUnauthorized() {
        given().contentType(ContentType.JSON).body("{}")
                .post("/stripe/customer")
                .then().statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED"));
        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size());
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping"));
    }

    @Test
    void stripeFailureIsProviderErrorAndLeavesNoMapping() {
        ProviderStandIns.stripe().stubFor(post(urlEqualTo("/v1/customers"))
                .willReturn(Stubs.json(401, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad key\"}}")));

        given().contentType(ContentType.JSON).header("Authorization", Tokens.bearer(Tokens.forUser("user_fail")))
                .body("{}")
                .post("/stripe/customer")
                .then().statusCode(502)
                .body("error.code", equalTo("PROVIDER_ERROR"));
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping"));
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_claims"));
    }

    @Test
    void subscriptionAnswersTheCallersSubscriptionsOnly() {
        Sql.update("INSERT INTO stripe_customer_mapping (user_id, clerk_user_id, stripe_customer_id)"
                + " VALUES ('user_sub', 'user_sub', 'cus_sub'), ('user_x', 'user_x', 'cus_x')");
        Sql.update("""
                INSERT INTO subscriptions (id, stripe_customer_id, status, price_id, current_period_end, last_event_at)
                VALUES ('sub_old', 'cus_sub', 'canceled', 'price_basic', now() - interval '40 days', now()),
                       ('sub_now', 'cus_sub', 'active', 'price_pro', now() + interval '20 days', now()),
                       ('sub_other', 'cus_x', 'active', 'price_pro', now() + interval '20 days', now())""");

        given().header("Authorization", Tokens.bearer(Tokens.forUser("user_sub")))
                .get("/stripe/subscription")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("data.active", equalTo(true))
                .body("data.subscriptions", hasSize(2))
                .body("data.subscriptions.id", equalTo(List.of("sub_now", "sub_old")))
                .body("data.subscriptions[0].status", equalTo("active"))
                .body("data.subscriptions[0].priceId", equalTo("price_pro"))
                .body("data.subscriptions[0].customerId", equalTo("cus_sub"));

        given().header("Authorization", Tokens.bearer(Tokens.forUser("user_nobody")))
                .get("/stripe/subscription")
                .then().statusCode(200)
                .body("data.active", equalTo(false))
                .body("data.subscriptions", hasSize(0));
    }

    @Test
    void subscriptionWithoutTokenIsUnauthorized() {
        given().get("/stripe/subscription")
                .then().statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED"));
    }

    /** The largest number of distinct idempotency keys (users) among the calls logged in any window of that length. */
    private static long mostUsersCallingWithin(List<LoggedRequest> calls, long windowMillis) {
        long most = 0;
        for (LoggedRequest call : calls) {
            long end = call.getLoggedDate().getTime();
            most = Math.max(most, calls.stream()
                    .filter(other -> other.getLoggedDate().getTime() > end - windowMillis
                            && other.getLoggedDate().getTime() <= end)
                    .map(other -> other.getHeader("Idempotency-Key")).distinct().count());
        }
        return most;
    }

    private static void stubCustomer(String id, int delayMillis) {
        String customer = """
                {"id":"%s","object":"customer","email":"x@example.com","metadata":{}}""".formatted(id);
        ProviderStandIns.stripe().stubFor(post(urlEqualTo("/v1/customers"))
                .willReturn(Stubs.json(200, customer).withFixedDelay(delayMillis)));
        ProviderStandIns.stripe().stubFor(get(urlEqualTo("/v1/customers/" + id)).willReturn(Stubs.json(200, customer)));
    }
}
