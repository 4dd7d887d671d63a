package app.backbone.contact;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.icegreen.greenmail.util.GreenMailUtil;

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
 * The contact form is not a mail relay: the confirmation goes to whatever address was typed, so it repeats no visitor
 * text but a sanitised name, and one address gets a bounded number of them a day.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class ContactRelayTest {

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void clean() throws Exception {
        // Let the previous test's mail go out first, so none of it arrives during this one.
        await().atMost(Duration.ofSeconds(30)).until(() -> Sql.count(
                "SELECT count(*) FROM email_outbox WHERE status IN ('pending', 'sending')") == 0);
        Sql.update("DELETE FROM contacts");
        Sql.update("DELETE FROM email_outbox");
        SmtpResource.purge();
    }

    @Test
    void linksInTheNameAreNotRepeatedToTheSender() throws Exception {
        String name = "Claim your refund at evil.example/claim or https://x.test now";
        submit(name, "victim@example.com", "Phishing text https://evil.example").then().statusCode(201);

        await().atMost(Duration.ofSeconds(15)).until(() -> SmtpResource.mail().getReceivedMessages().length == 2);
        String confirmation = GreenMailUtil.getBody(to("victim@example.com"));
        assertFalse(confirmation.contains("evil"), confirmation);
        assertFalse(confirmation.contains("x.test"), confirmation);
        assertFalse(confirmation.contains("Phishing"), confirmation);
        assertTrue(confirmation.contains("Hello Claim your refund at or now,"), confirmation);
        // The owner still reads everything the visitor wrote.
        String notification = GreenMailUtil.getBody(to("owner@shop.test"));
        assertTrue(notification.contains("evil.example/claim"));
        assertTrue(notification.contains("Phishing text https://evil.example"));
    }

    @Test
    void longNameIsCutAndInvisibleCharactersDropped() throws Exception {
        submit("Ada\u200b\u202e Lovelace " + "x".repeat(80), "ada@example.com", "Hi").then().statusCode(201);
        await().atMost(Duration.ofSeconds(15)).until(() -> SmtpResource.mail().getReceivedMessages().length == 2);
        String confirmation = GreenMailUtil.getBody(to("ada@example.com"));
        assertTrue(confirmation.contains("Hello Ada Lovelace " + "x".repeat(27) + ","), confirmation);
        assertFalse(confirmation.contains("\u202e"));
    }

    @ParameterizedTest(name = "a name with {0} is refused")
    @ValueSource(strings = {"CR", "LF", "CRLF"})
    void nameOnSeveralLinesIsRefusedAndNothingIsStored(String breakKind) {
        String lineBreak = switch (breakKind) {
            case "CR" -> "\r";
            case "LF" -> "\n";
            default -> "\r\n";
        };
        submit("Ada" + lineBreak + "Bcc: everyone@example.com", "ada@example.com", "Hi")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.field", hasItem("name"));
        assertEquals(0, Sql.count("SELECT count(*) FROM contacts"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void oneAddressGetsThreeConfirmationsADayWhileEveryMessageReachesTheOwner() throws Exception {
        double cappedBefore = registry.counter("contacts.confirmations.capped").count();
        for (int i = 0; i < 5; i++) {
            submit("Ada", i % 2 == 0 ? "target@example.com" : "TARGET@example.com", "Message " + i)
                    .then().statusCode(201).body("success", equalTo(true));
        }
        assertEquals(5, Sql.count("SELECT count(*) FROM contacts"));
        assertEquals(5, Sql.count("SELECT count(*) FROM email_outbox WHERE template = 'contact-notification'"));
        assertEquals(3, Sql.count("SELECT count(*) FROM email_outbox WHERE template = 'contact-confirmation'"));
        assertEquals(cappedBefore + 2, registry.counter("contacts.confirmations.capped").count());
        await().atMost(Duration.ofSeconds(20)).until(() -> mailsTo("target@example.com") == 3
                && mailsTo("owner@shop.test") >= 5);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> mailsTo("target@example.com") == 3);
    }

    @Test
    void concurrentSubmissionsToOneAddressStillGetThreeConfirmations() throws Exception {
        List<Response> answers = Concurrently.run(8, () -> submit("Ada", "burst@example.com", "Hello"));
        answers.forEach(answer -> assertEquals(201, answer.statusCode(), answer.asString()));
        assertEquals(8, Sql.count("SELECT count(*) FROM contacts"));
        assertEquals(3, Sql.count("SELECT count(*) FROM email_outbox WHERE template = 'contact-confirmation'"));
        assertEquals(8, Sql.count("SELECT count(*) FROM email_outbox WHERE template = 'contact-notification'"));
    }

    private static Response submit(String name, String email, String message) {
        return given().contentType(ContentType.JSON).body(Map.of("name", name, "email", email, "message", message))
                .post("/api/contact");
    }

    private static long mailsTo(String address) {
        return Arrays.stream(SmtpResource.mail().getReceivedMessages()).filter(m -> isTo(m, address)).count();
    }

    private static MimeMessage to(String address) {
        return Arrays.stream(SmtpResource.mail().getReceivedMessages()).filter(m -> isTo(m, address)).findFirst()
                .orElseThrow(() -> new AssertionError("no mail to " + address));
    }

    private static boolean isTo(MimeMessage message, String address) {
        try {
            return message.getAllRecipients()[0].toString().equalsIgnoreCase(address);
        } catch (Exception e) {
            return false;
        }
    }
}
