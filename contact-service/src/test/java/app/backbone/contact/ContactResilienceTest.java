package app.backbone.contact;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.backbone.data.outbox.OutboxDispatcher;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class ContactResilienceTest {

    @Inject
    OutboxDispatcher dispatcher;

    @BeforeEach
    void clean() throws Exception {
        Sql.update("DELETE FROM contacts");
        Sql.update("DELETE FROM email_outbox");
        SmtpResource.purge();
    }

    @AfterEach
    void heal() {
        PostgresResource.link().restore();
        if (!SmtpResource.mail().isRunning()) {
            SmtpResource.up();
        }
    }

    @Test
    void smtpOutageDelaysMailButNeverLosesIt() throws Exception {
        SmtpResource.down();
        submit("Grace", "grace@example.com").then().statusCode(201).body("success", equalTo(true));
        assertEquals(1, Sql.count("SELECT count(*) FROM contacts"));

        await().atMost(Duration.ofSeconds(10)).until(() -> Sql.count(
                "SELECT count(*) FROM email_outbox WHERE status = 'pending' AND attempts >= 1 AND last_error IS NOT NULL") == 2);

        SmtpResource.up();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> Sql.count("SELECT count(*) FROM email_outbox WHERE status = 'sent'") == 2);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(
                List.of("grace@example.com", "owner@shop.test"), recipients(SmtpResource.mail().getReceivedMessages())));
    }

    @Test
    void concurrentDispatchersSendEachMailOnce() throws Exception {
        for (int i = 0; i < 15; i++) {
            submit("Person " + i, "person" + i + "@example.com").then().statusCode(201);
        }
        // Four extra dispatchers race the scheduled one over the same 30 rows.
        List<Uni<Integer>> racers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            racers.add(Uni.createFrom().deferred(dispatcher::dispatchDue)
                    .runSubscriptionOn(java.util.concurrent.ForkJoinPool.commonPool()));
        }
        Uni.join().all(racers).andFailFast().await().atMost(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> Sql.count("SELECT count(*) FROM email_outbox WHERE status = 'sent'") == 30);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertEquals(30, SmtpResource.mail().getReceivedMessages().length));
        MimeMessage[] received = SmtpResource.mail().getReceivedMessages();
        Map<String, Long> perRecipientAndSubject = Arrays.stream(received)
                .collect(Collectors.groupingBy(m -> key(m), Collectors.counting()));
        assertEquals(30, perRecipientAndSubject.size(), "every mail is different: none was sent twice");
    }

    @Test
    void mailThatKeepsFailingEndsFailedAfterTheConfiguredAttempts() {
        SmtpResource.down();
        submit("Alan", "alan@example.com").then().statusCode(201);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> Sql.count("SELECT count(*) FROM email_outbox WHERE status = 'failed'") == 2);
        List<Map<String, Object>> rows = Sql.rows("SELECT attempts, last_error FROM email_outbox");
        rows.forEach(row -> {
            assertEquals(5, row.get("attempts"));
            assertTrue(String.valueOf(row.get("last_error")).toLowerCase().contains("connect"), row.toString());
        });
        app.backbone.testing.Management.given().get("/q/metrics").then().statusCode(200)
                .body(matchesPattern("(?s).*outbox_mails_failed_total(\\{[^}]*\\})? [2-9].*"));
    }

    @Test
    void databaseOutageAnswers503AndRecoversWithoutRestart() {
        PostgresResource.link().cut();

        long started = System.nanoTime();
        submit("Linus", "linus@example.com").then().statusCode(503)
                .body("success", equalTo(false))
                .body("error.code", equalTo("SERVICE_UNAVAILABLE"));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 10, "no hang while the database is down");
        app.backbone.testing.Management.given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        app.backbone.testing.Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

        PostgresResource.link().restore();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                app.backbone.testing.Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                submit("Linus", "linus@example.com").then().statusCode(201));
        assertEquals(1, Sql.count("SELECT count(*) FROM contacts WHERE email = 'linus@example.com'"));
        // Let both mails go out now, so none arrives during the next test.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Sql.count("SELECT count(*) FROM email_outbox WHERE status = 'sent'") == 2);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "database answering {0} is 503")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "57P03 | the database system is starting up",
            "57P03 | the database system is shutting down",
            "57P01 | terminating connection due to administrator command",
            "53300 | sorry, too many clients already",
    })
    void databaseStartingStoppingOrFullAnswers503AndStoresNothing(String sqlState, String message) {
        PostgresResource.link().refuseLikePostgres(sqlState, message);

        for (int attempt = 0; attempt < 2; attempt++) {
            submit("Grace", "grace@example.com").then().statusCode(503)
                    .body("success", equalTo(false))
                    .body("error.code", equalTo("SERVICE_UNAVAILABLE"))
                    .body("error.requestId", org.hamcrest.Matchers.notNullValue());
        }
        assertEquals(0, Sql.count("SELECT count(*) FROM contacts"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));

        PostgresResource.link().restore();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                submit("Grace", "grace@example.com").then().statusCode(201));
        // Let both mails go out now, so none arrives during the next test.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Sql.count("SELECT count(*) FROM email_outbox WHERE status = 'sent'") == 2);
    }

    private static io.restassured.response.Response submit(String name, String email) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "email", email, "message", "Hello from " + name))
                .post("/api/contact");
    }

    private static String key(MimeMessage message) {
        try {
            return message.getAllRecipients()[0] + "|" + message.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> recipients(MimeMessage[] messages) throws Exception {
        List<String> all = new ArrayList<>();
        for (MimeMessage m : messages) {
            all.add(m.getAllRecipients()[0].toString());
        }
        all.sort(String::compareTo);
        return all;
    }
}
