package app.backbone.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.backbone.payment.customers.CustomerCache;
import app.backbone.testing.Concurrently;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A mapped user's repeat {@code POST /stripe/customer} is answered from the mapping and the customer object the
 * service has seen, without a database read or a Stripe call, until webhook-service says a customer changed
 * ({@code NOTIFY customer_changed}, which reaches every replica: an update, a deletion, a user mapped anew).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(ProviderStandIns.class)
class CachedCustomerTest {

    @Inject
    CustomerCache cache;

    @BeforeEach
    void clean() {
        Stubs.clean();
        await().atMost(Duration.ofSeconds(10)).until(cache::isListening);
        cache.invalidateAll("test");
    }

    @Test
    void repeatCallsForAMappedUserAskStripeOnce() throws Exception {
        mapUser("user_rep", "cus_rep");
        stubRetrieve("cus_rep", "rep@example.com", 0);
        String token = token("user_rep");

        for (int i = 0; i < 3; i++) {
            callCustomer(token).then().statusCode(200)
                    .body("success", equalTo(true))
                    .body("created", equalTo(false))
                    .body("data.id", equalTo("cus_rep"))
                    .body("data.email", equalTo("rep@example.com"));
        }
        List<Response> burst = Concurrently.run(8, () -> callCustomer(token));

        for (Response answer : burst) {
            assertEquals(200, answer.statusCode(), answer.asString());
            assertEquals(Boolean.FALSE, answer.path("created"));
            assertEquals("rep@example.com", answer.path("data.email"));
        }
        assertEquals(1, retrieves("cus_rep"));
        assertEquals(0, ProviderStandIns.stripe().findAll(postRequestedFor(urlEqualTo("/v1/customers"))).size());
        assertEquals(List.of(Map.of("clerk_user_id", "user_rep", "stripe_customer_id", "cus_rep")),
                Sql.rows("SELECT clerk_user_id, stripe_customer_id FROM stripe_customer_mapping"));
    }

    @Test
    void customerMadeByTheFirstCallIsNotRetrievedByTheNext() {
        ProviderStandIns.stripe().stubFor(post(urlEqualTo("/v1/customers")).willReturn(Stubs.json(200, customer(
                "cus_made", "made@example.com"))));
        stubRetrieve("cus_made", "made@example.com", 0);
        String token = token("user_made");

        callCustomer(token).then().statusCode(201).body("created", equalTo(true)).body("data.id", equalTo("cus_made"));
        callCustomer(token).then().statusCode(200)
                .body("created", equalTo(false))
                .body("data.id", equalTo("cus_made"))
                .body("data.email", equalTo("made@example.com"));

        assertEquals(0, retrieves("cus_made"));
        assertEquals(1, ProviderStandIns.stripe().findAll(postRequestedFor(urlEqualTo("/v1/customers"))).size());
        assertEquals(1, Sql.count("SELECT count(*) FROM stripe_customer_mapping WHERE clerk_user_id = 'user_made'"));
    }

    @Test
    void customerChangedNotificationMakesTheNextCallAskStripeAgain() {
        mapUser("user_upd", "cus_upd");
        stubRetrieve("cus_upd", "before@example.com", 0);
        String token = token("user_upd");
        callCustomer(token).then().statusCode(200).body("data.email", equalTo("before@example.com"));
        callCustomer(token).then().statusCode(200).body("data.email", equalTo("before@example.com"));
        assertEquals(1, retrieves("cus_upd"));

        stubRetrieve("cus_upd", "after@example.com", 0);
        // What webhook-service sends, from any replica, when it applies customer.updated.
        Sql.update("NOTIFY customer_changed, 'cus_upd'");

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                "after@example.com".equals(callCustomer(token).then().statusCode(200).extract().path("data.email")));
        assertEquals(2, retrieves("cus_upd"));
        callCustomer(token).then().statusCode(200)
                .body("created", equalTo(false))
                .body("data.email", equalTo("after@example.com"));
        assertEquals(2, retrieves("cus_upd"));
    }

    @Test
    void notificationForAnotherCustomerLeavesThisOneCached() {
        mapUser("user_keep", "cus_keep");
        mapUser("user_other", "cus_other");
        stubRetrieve("cus_keep", "keep@example.com", 0);
        stubRetrieve("cus_other", "other@example.com", 0);
        callCustomer(token("user_keep")).then().statusCode(200);
        callCustomer(token("user_other")).then().statusCode(200);

        Sql.update("NOTIFY customer_changed, 'cus_other'");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            callCustomer(token("user_other")).then().statusCode(200);
            return retrieves("cus_other") == 2;
        });

        callCustomer(token("user_keep")).then().statusCode(200).body("data.id", equalTo("cus_keep"));
        assertEquals(1, retrieves("cus_keep"));
    }

    @Test
    void deletedCustomerIsNotAnsweredOnceItsDeletionIsAnnounced() {
        mapUser("user_gone", "cus_gone");
        stubRetrieve("cus_gone", "gone@example.com", 0);
        ProviderStandIns.stripe().stubFor(post(urlEqualTo("/v1/customers")).willReturn(Stubs.json(200, customer(
                "cus_next", "next@example.com"))));
        String token = token("user_gone");
        callCustomer(token).then().statusCode(200).body("data.id", equalTo("cus_gone"));

        // The deletion as webhook-service applies customer.deleted: the record and the notification, one transaction.
        Sql.update("INSERT INTO stripe_deleted_customers (stripe_customer_id, clerk_user_id)"
                + " VALUES ('cus_gone', 'user_gone'); NOTIFY customer_changed, 'cus_gone'");

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> callCustomer(token).statusCode() == 201);
        callCustomer(token).then().statusCode(200)
                .body("created", equalTo(false))
                .body("data.id", equalTo("cus_next"));

        assertEquals(0, retrieves("cus_next"));
        assertEquals(1, ProviderStandIns.stripe().findAll(postRequestedFor(urlEqualTo("/v1/customers"))).size());
        assertEquals("customer-user_gone-after-cus_gone", ProviderStandIns.stripe()
                .findAll(postRequestedFor(urlEqualTo("/v1/customers"))).get(0).getHeader("Idempotency-Key"));
        assertEquals(List.of(Map.of("clerk_user_id", "user_gone", "stripe_customer_id", "cus_next")),
                Sql.rows("SELECT clerk_user_id, stripe_customer_id FROM stripe_customer_mapping"));
    }

    @Test
    void mappingIsReadOnceAndAUserMovedToAnotherCustomerIsSeenWhenAnnounced() {
        mapUser("user_move", "cus_first");
        stubRetrieve("cus_first", "first@example.com", 0);
        stubRetrieve("cus_second", "second@example.com", 0);
        String token = token("user_move");
        callCustomer(token).then().statusCode(200).body("data.id", equalTo("cus_first"));

        // A change nobody announces is not seen before the TTL: the repeat call reads neither the database nor Stripe.
        Sql.update("UPDATE stripe_customer_mapping SET stripe_customer_id = 'cus_second' WHERE clerk_user_id = 'user_move'");
        callCustomer(token).then().statusCode(200).body("data.id", equalTo("cus_first"));

        // customer.created naming this user for a new customer moves the mapping and is announced under the new id.
        Sql.update("NOTIFY customer_changed, 'cus_second'");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                "cus_second".equals(callCustomer(token).then().statusCode(200).extract().path("data.id")));
        callCustomer(token).then().statusCode(200)
                .body("created", equalTo(false))
                .body("data.email", equalTo("second@example.com"));

        assertEquals(1, retrieves("cus_first"));
        assertEquals(1, retrieves("cus_second"));
        assertEquals(0, ProviderStandIns.stripe().findAll(postRequestedFor(urlEqualTo("/v1/customers"))).size());
    }

    @Test
    void changeNotifiedWhileStripeAnswersIsNotHiddenByTheOlderAnswer() throws Exception {
        mapUser("user_race", "cus_race");
        stubRetrieve("cus_race", "old@example.com", 1500);
        String token = token("user_race");

        CompletableFuture<Response> slow = CompletableFuture.supplyAsync(() -> callCustomer(token));
        await().atMost(Duration.ofSeconds(5)).until(() -> retrieves("cus_race") == 1);
        Sql.update("NOTIFY customer_changed, 'cus_race'");
        Response first = slow.get(10, TimeUnit.SECONDS);
        assertEquals(200, first.statusCode(), first.asString());
        assertEquals("old@example.com", first.path("data.email"));

        stubRetrieve("cus_race", "new@example.com", 0);
        callCustomer(token).then().statusCode(200).body("data.email", equalTo("new@example.com"));
        assertEquals(2, retrieves("cus_race"));
    }

    @Test
    void lostNotificationChannelEmptiesTheCache() {
        mapUser("user_lost", "cus_lost");
        stubRetrieve("cus_lost", "lost@example.com", 0);
        String token = token("user_lost");
        callCustomer(token).then().statusCode(200);
        callCustomer(token).then().statusCode(200);
        assertEquals(1, retrieves("cus_lost"));

        // A notification sent while the channel was down is lost for good, so nothing seen before may be trusted.
        PostgresResource.link().cut();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> !cache.isListening());
        } finally {
            PostgresResource.link().restore();
        }
        await().atMost(Duration.ofSeconds(15)).until(cache::isListening);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> callCustomer(token).statusCode() == 200);
        assertEquals(2, retrieves("cus_lost"));
        callCustomer(token).then().statusCode(200).body("data.id", equalTo("cus_lost"));
        assertEquals(2, retrieves("cus_lost"));
    }

    private static Response callCustomer(String token) {
        return given().contentType(ContentType.JSON).header("Authorization", token).body("{}")
                .post("/stripe/customer");
    }

    private static String token(String userId) {
        return Tokens.bearer(Tokens.forUser(userId));
    }

    private static void mapUser(String clerkUserId, String customerId) {
        Sql.update("INSERT INTO stripe_customer_mapping (user_id, clerk_user_id, stripe_customer_id) VALUES (?, ?, ?)",
                clerkUserId, clerkUserId, customerId);
    }

    private static String customer(String id, String email) {
        return """
                {"id":"%s","object":"customer","email":"%s","metadata":{}}""".formatted(id, email);
    }

    private static void stubRetrieve(String id, String email, int delayMillis) {
        ProviderStandIns.stripe().stubFor(get(urlEqualTo("/v1/customers/" + id))
                .willReturn(Stubs.json(200, customer(id, email)).withFixedDelay(delayMillis)));
    }

    private static int retrieves(String id) {
        return ProviderStandIns.stripe().findAll(getRequestedFor(urlEqualTo("/v1/customers/" + id))).size();
    }
}
