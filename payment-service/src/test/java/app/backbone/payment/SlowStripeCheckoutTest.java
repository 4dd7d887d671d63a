package app.backbone.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import app.backbone.payment.catalogue.CatalogueCache;
import app.backbone.payment.config.PaymentConfig;
import app.backbone.payment.providers.StripeConnector;
import app.backbone.testing.Concurrently;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A checkout's claim outlives the slowest Stripe call: with an in-flight limit and a same-checkout window both shorter
 * than Stripe's answer, a second identical request still waits for the first one's session instead of opening another.
 */
@QuarkusTest
@TestProfile(SlowStripeCheckoutTest.ShortClaims.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(ProviderStandIns.class)
class SlowStripeCheckoutTest {

    /** Stripe answers a session in 2 s (below the test read timeout of 3 s): longer than both settings below. */
    private static final int STRIPE_DELAY_MILLIS = 2000;

    public static class ShortClaims implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("payment.idempotency.in-flight-limit", "1s",
                    "payment.subscriptions.same-checkout-window", "1s");
        }
    }

    @Inject
    CatalogueCache cache;
    @Inject
    PaymentConfig config;

    @BeforeEach
    void clean() {
        Stubs.clean();
        await().atMost(Duration.ofSeconds(10)).until(cache::isListening);
        cache.invalidate("test");
    }

    @Test
    void claimLastsLongerThanTheSlowestStripeCallNotJustTheInFlightLimit() {
        Duration stripeCall = StripeConnector.longestCall(config.stripe());
        assertEquals(Duration.ofSeconds(21), stripeCall, "(5 s + 3 s) x 2 attempts + one 5 s pause");
        Stubs.mapped("user_lease", "cus_lease");
        Stubs.stripePrice("price_basic", true, "recurring");
        stubSlowSession("cs_test_lease");

        checkout("user_lease", "key-lease").then().statusCode(201);

        // The customer (a Stripe call, or a wait up to claim-wait) and the session (a Stripe call), plus 10 s.
        double lease = ((Number) Sql.rows("""
                SELECT extract(epoch FROM claimed_until - created_at) AS lease FROM subscription_checkouts
                 WHERE clerk_user_id = 'user_lease'""").get(0).get("lease")).doubleValue();
        assertEquals(21 + 21 + 10, lease, 3.0, "the claim's lifetime in seconds, not the in-flight limit's 1 s");
    }

    @Test
    void identicalRequestsWithoutKeyShareOneSessionWhenStripeIsSlowerThanTheWindow() throws Exception {
        Stubs.mapped("user_slow1", "cus_slow1");
        Stubs.stripePrice("price_basic", true, "recurring");
        stubSlowSession("cs_test_slow1");

        List<Response> answers = Concurrently.all(List.<Callable<Response>>of(
                () -> checkout("user_slow1", null), () -> checkout("user_slow1", null)));

        assertEquals(1, stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))).size(),
                "one session at Stripe");
        assertBothAnswered("cs_test_slow1", answers);
        assertEquals(1, Sql.count("SELECT count(*) FROM subscription_checkouts WHERE session_id = 'cs_test_slow1'"));
    }

    @Test
    void requestsWithOneKeyShareOneSessionWhenStripeIsSlowerThanTheInFlightLimit() throws Exception {
        Stubs.mapped("user_slow2", "cus_slow2");
        Stubs.stripePrice("price_basic", true, "recurring");
        stubSlowSession("cs_test_slow2");

        List<Response> answers = Concurrently.all(List.<Callable<Response>>of(
                () -> checkout("user_slow2", "slow-key"), () -> checkout("user_slow2", "slow-key")));

        assertEquals(1, stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))).size(),
                "one session at Stripe");
        assertBothAnswered("cs_test_slow2", answers);
        assertEquals(List.of(Map.of("session_id", "cs_test_slow2")),
                Sql.rows("SELECT session_id FROM subscription_checkouts WHERE clerk_user_id = 'user_slow2'"));
    }

    private static void assertBothAnswered(String sessionId, List<Response> answers) {
        for (Response answer : answers) {
            assertEquals(201, answer.statusCode(), answer.asString());
            assertEquals(true, answer.path("success"));
            assertEquals(sessionId, answer.path("data.sessionId"));
            assertEquals("https://checkout.stripe.com/c/pay/" + sessionId, answer.path("data.url"));
        }
        assertEquals(1, answers.stream().filter(a -> "true".equals(a.header("Idempotent-Replayed"))).count(),
                "the second is the first one's answer");
    }

    private static Response checkout(String user, String key) {
        var request = given().contentType(ContentType.JSON)
                .header("Authorization", Tokens.bearer(Tokens.forUser(user)));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.body(Map.of("priceId", "price_basic")).post("/stripe/checkout");
    }

    private static void stubSlowSession(String id) {
        stripe().stubFor(post(urlEqualTo("/v1/checkout/sessions")).willReturn(Stubs.json(200, """
                {"id":"%s","object":"checkout.session","mode":"subscription","status":"open","payment_status":"unpaid",
                 "url":"https://checkout.stripe.com/c/pay/%s"}""".formatted(id, id)).withFixedDelay(STRIPE_DELAY_MILLIS)));
    }

    private static WireMockServer stripe() {
        return ProviderStandIns.stripe();
    }
}
