package app.backbone.webhook;

import static app.backbone.webhook.Deliveries.checkoutSession;
import static app.backbone.webhook.Deliveries.newEventId;
import static app.backbone.webhook.Deliveries.paymentStatus;
import static app.backbone.webhook.Deliveries.pendingPayment;
import static app.backbone.webhook.Deliveries.postStripe;
import static app.backbone.webhook.Deliveries.stripeEvent;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.backbone.testing.Concurrently;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import app.backbone.testing.WebhookSignatures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class ExactlyOnceTest {

    @BeforeEach
    void clean() {
        Deliveries.cleanDatabase();
    }

    @AfterEach
    void dropInjectedFailure() {
        Sql.update("DROP TRIGGER IF EXISTS webhook_test_fail ON payments");
        Sql.update("DROP FUNCTION IF EXISTS webhook_test_fail()");
        Sql.update("DROP TRIGGER IF EXISTS webhook_test_no_write ON webhook_events");
        Sql.update("DROP FUNCTION IF EXISTS webhook_test_no_write()");
    }

    @Test
    void duplicateOfAProcessedEventIsAnsweredWithoutWritingTheLedger() {
        String reference = pendingPayment("stripe", 15, "USD");
        String eventId = newEventId();
        String body = stripeEvent(eventId, "checkout.session.completed",
                checkoutSession(reference, 1500, "usd", "paid"));
        postStripe(body).then().statusCode(200).body("received", equalTo(true)).body("duplicate", nullValue());
        refuseLedgerWrites();

        postStripe(body).then().statusCode(200)
                .body("received", equalTo(true))
                .body("duplicate", equalTo(true));

        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events WHERE event_id = ? AND processed_at IS NOT NULL",
                eventId));
        assertEquals("success", paymentStatus(reference));
        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox WHERE dedupe_key = ?",
                "payment-receipt:" + reference));
    }

    @Test
    void twentyConcurrentRedeliveriesOfAProcessedEventAreDuplicatesWithoutAWrite() throws Exception {
        String reference = pendingPayment("stripe", 35, "USD");
        String body = stripeEvent(newEventId(), "checkout.session.completed",
                checkoutSession(reference, 3500, "usd", "paid"));
        postStripe(body).then().statusCode(200).body("duplicate", nullValue());
        refuseLedgerWrites();

        List<Response> answers = Concurrently.run(20, () -> postStripe(body));

        for (Response answer : answers) {
            assertEquals(200, answer.statusCode(), answer.asString());
            assertEquals(Boolean.TRUE, answer.jsonPath().get("duplicate"));
        }
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events"));
        assertEquals("success", paymentStatus(reference));
        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox WHERE dedupe_key = ?",
                "payment-receipt:" + reference));
    }

    /**
     * Any INSERT or UPDATE on the ledger now fails: a BEFORE INSERT trigger fires even for an INSERT that ON CONFLICT
     * would turn into nothing, so only a delivery answered without writing can pass.
     */
    private static void refuseLedgerWrites() {
        Sql.update("""
                CREATE FUNCTION webhook_test_no_write() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the ledger was written'; END $$""");
        Sql.update("CREATE TRIGGER webhook_test_no_write BEFORE INSERT OR UPDATE ON webhook_events FOR EACH ROW "
                + "EXECUTE FUNCTION webhook_test_no_write()");
    }

    @Test
    void twentyConcurrentDeliveriesApplyTheEventOnce() throws Exception {
        String reference = pendingPayment("stripe", 25, "USD");
        String body = stripeEvent(newEventId(), "checkout.session.completed",
                checkoutSession(reference, 2500, "usd", "paid"));
        String signature = WebhookSignatures.stripe(Deliveries.STRIPE_SECRET, Instant.now().getEpochSecond(), body);
        // Slow each payment update a little, so the deliveries really overlap inside their transactions.
        Sql.update("""
                CREATE FUNCTION webhook_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_sleep(0.2); RETURN NEW; END $$""");
        Sql.update("CREATE TRIGGER webhook_test_fail BEFORE UPDATE ON payments FOR EACH ROW "
                + "EXECUTE FUNCTION webhook_test_fail()");

        int deliveries = 20;
        ExecutorService pool = Executors.newFixedThreadPool(deliveries);
        CountDownLatch ready = new CountDownLatch(deliveries);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < deliveries; i++) {
                answers.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return postStripe(body, signature);
                }));
            }
            ready.await(10, TimeUnit.SECONDS);
            go.countDown();
            int applied = 0;
            int duplicates = 0;
            for (Future<Response> answer : answers) {
                Response response = answer.get(60, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode(), response.asString());
                JsonPath json = response.jsonPath();
                assertEquals(true, json.getBoolean("received"));
                if (Boolean.TRUE.equals(json.get("duplicate"))) {
                    duplicates++;
                } else {
                    applied++;
                }
            }
            assertEquals(1, applied);
            assertEquals(19, duplicates);
        } finally {
            pool.shutdownNow();
        }
        assertEquals("success", paymentStatus(reference));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events"));
        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox WHERE dedupe_key = ?",
                "payment-receipt:" + reference));
    }

    @Test
    void failingEffectRollsBackAndTheRetryAppliesIt() {
        String reference = pendingPayment("stripe", 30, "USD");
        String eventId = newEventId();
        String body = stripeEvent(eventId, "checkout.session.completed",
                checkoutSession(reference, 3000, "usd", "paid"));
        Sql.update("""
                CREATE FUNCTION webhook_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'injected failure'; END $$""");
        Sql.update("CREATE TRIGGER webhook_test_fail BEFORE UPDATE ON payments FOR EACH ROW "
                + "EXECUTE FUNCTION webhook_test_fail()");

        String answer = postStripe(body).then().statusCode(500)
                .body("success", equalTo(false))
                .body("error.code", equalTo("INTERNAL_ERROR"))
                .extract().asString();
        assertEquals(false, answer.contains("injected failure"), "the database error leaked: " + answer);
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
        assertEquals("pending", paymentStatus(reference));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));

        dropInjectedFailure();
        postStripe(body).then().statusCode(200)
                .body("received", equalTo(true))
                .body("duplicate", nullValue());
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events WHERE event_id = ? AND processed_at IS NOT NULL",
                eventId));
        assertEquals("success", paymentStatus(reference));
        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void databaseOutageAnswers503AndTheRetryAppliesIt() {
        String reference = pendingPayment("stripe", 40, "USD");
        String body = stripeEvent(newEventId(), "checkout.session.completed",
                checkoutSession(reference, 4000, "usd", "paid"));
        PostgresResource.link().cut();
        try {
            postStripe(body).then().statusCode(503)
                    .body("success", equalTo(false))
                    .body("error.code", equalTo("SERVICE_UNAVAILABLE"));
        } finally {
            PostgresResource.link().restore();
        }
        assertEquals(0, Sql.count("SELECT count(*) FROM webhook_events"));
        assertEquals("pending", paymentStatus(reference));

        // Stripe retries: once the database is back, the same delivery is applied, once.
        await().atMost(Duration.ofSeconds(20)).until(() -> postStripe(body).statusCode() == 200);
        assertEquals("success", paymentStatus(reference));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events"));
        postStripe(body).then().statusCode(200).body("duplicate", equalTo(true));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                app.backbone.testing.Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
    }
}
