package app.backbone.contact;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.icegreen.greenmail.util.GreenMailUtil;

import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class ContactSubmissionTest {

    @BeforeEach
    void clean() throws Exception {
        Sql.update("DELETE FROM contacts");
        Sql.update("DELETE FROM email_outbox");
        SmtpResource.purge();
    }

    @Test
    void validSubmissionIsStoredAndBothMailsArrive() throws Exception {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("name", "Ada Lovelace", "email", "ada@example.com", "message", "Do you ship to Nairobi?"))
                .post("/api/contact")
                .then().statusCode(201)
                .body("success", equalTo(true))
                .body("data.id", notNullValue())
                .body("data.name", equalTo("Ada Lovelace"))
                .body("data.email", equalTo("ada@example.com"))
                .body("data.message", equalTo("Do you ship to Nairobi?"))
                .body("data.createdAt", notNullValue())
                .header("X-Request-Id", notNullValue())
                .extract().path("data.id");

        List<Map<String, Object>> rows = Sql.rows("SELECT name, email, message FROM contacts WHERE id = ?::uuid", id);
        assertEquals(List.of(Map.of("name", "Ada Lovelace", "email", "ada@example.com", "message",
                "Do you ship to Nairobi?")), rows);

        await().atMost(Duration.ofSeconds(15)).until(() -> SmtpResource.mail().getReceivedMessages().length == 2);
        MimeMessage toSender = messageTo("ada@example.com");
        assertEquals("We received your message", toSender.getSubject());
        // The confirmation goes to whatever address was typed: it greets by name and repeats nothing else.
        assertTrue(GreenMailUtil.getBody(toSender).contains("Hello Ada Lovelace,"));
        assertFalse(GreenMailUtil.getBody(toSender).contains("Nairobi"));
        assertTrue(GreenMailUtil.getBody(toSender).contains("Acme Test Shop"));
        assertEquals("shop@backbone.test", toSender.getFrom()[0].toString());

        MimeMessage toOwner = messageTo("owner@shop.test");
        assertEquals("New contact message from Ada Lovelace", toOwner.getSubject());
        assertEquals("ada@example.com", toOwner.getReplyTo()[0].toString());
        assertTrue(GreenMailUtil.getBody(toOwner).contains("Do you ship to Nairobi?"));
        assertTrue(GreenMailUtil.getBody(toOwner).contains(id));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> Sql.count("SELECT count(*) FROM email_outbox WHERE status = 'sent'") == 2);
    }

    @Test
    void htmlInAMessageIsEscapedInTheMail() throws Exception {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "Eve", "email", "eve@example.com", "message", "<script>alert(1)</script>"))
                .post("/api/contact")
                .then().statusCode(201);

        await().atMost(Duration.ofSeconds(15)).until(() -> SmtpResource.mail().getReceivedMessages().length == 2);
        String body = GreenMailUtil.getWholeMessage(messageTo("owner@shop.test"));
        assertTrue(body.contains("&lt;script&gt;"), body);
    }

    @Test
    void filledHoneypotIsAcceptedButNeitherStoredNorMailed() throws Exception {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "Bot", "email", "bot@example.com", "message", "Buy now", "website", "http://spam"))
                .post("/api/contact")
                .then().statusCode(201)
                .body("success", equalTo(true))
                .body("data.id", notNullValue());

        assertEquals(0, Sql.count("SELECT count(*) FROM contacts"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertEquals(0, SmtpResource.mail().getReceivedMessages().length));
    }

    @ParameterizedTest(name = "{0} = [{1}] is rejected")
    @CsvSource(delimiter = '|', value = {
            "name    | ''                 | is required",
            "name    | '   '              | is required",
            "name    | LONG_101           | must be at most 100 characters",
            "email   | ''                 | is required",
            "email   | not-an-email       | must be a well-formed email address",
            "email   | ada@localhost      | must be a well-formed email address",
            "email   | LONG_EMAIL         | must be at most 255 characters",
            "message | ''                 | is required",
            "message | LONG_5001          | must be at most 5000 characters",
    })
    void invalidFieldIsRejectedWithDetails(String field, String value, String expected) {
        Map<String, Object> body = new java.util.HashMap<>(
                Map.of("name", "Ada", "email", "ada@example.com", "message", "Hello"));
        body.put(field, switch (value) {
            case "LONG_101" -> "n".repeat(101);
            case "LONG_5001" -> "m".repeat(5001);
            case "LONG_EMAIL" -> "a".repeat(250) + "@example.com";
            default -> value;
        });
        given().contentType(ContentType.JSON).body(body)
                .post("/api/contact")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.field", hasItem(field))
                .body("error.details.findAll { it.field == '" + field + "' }.message", hasItem(expected))
                .body("error.requestId", notNullValue());
        assertEquals(0, Sql.count("SELECT count(*) FROM contacts"));
    }

    @Test
    void missingFieldsAreAllListed() {
        given().contentType(ContentType.JSON).body("{}")
                .post("/api/contact")
                .then().statusCode(400)
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details", hasSize(3))
                .body("error.details.field", equalTo(List.of("email", "message", "name")));
        assertEquals(0, Sql.count("SELECT count(*) FROM contacts"));
    }

    @Test
    void missingBodyIsRejected() {
        given().contentType(ContentType.JSON)
                .post("/api/contact")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("INVALID_JSON"));
        assertEquals(0, Sql.count("SELECT count(*) FROM contacts"));
    }

    @Test
    void malformedJsonIsRejected() {
        given().contentType(ContentType.JSON).body("{\"name\": \"Ada\", ")
                .post("/api/contact")
                .then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"))
                .body("error.message", equalTo("The request body is not valid JSON"));
        assertEquals(0, Sql.count("SELECT count(*) FROM contacts"));
    }

    @Test
    void trailingDataAfterTheJsonDocumentIsRejected() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"message\":\"Hello\"} {\"more\":1}")
                .post("/api/contact")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("INVALID_JSON"));
        assertEquals(0, Sql.count("SELECT count(*) FROM contacts"));
    }

    @Test
    void duplicateKeysAreRejected() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"message\":\"Hello\",\"name\":\"Eve\"}")
                .post("/api/contact")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("INVALID_JSON"));
        assertEquals(0, Sql.count("SELECT count(*) FROM contacts"));
    }

    @Test
    void wrongJsonShapeIsRejected() {
        given().contentType(ContentType.JSON).body("[1, 2, 3]")
                .post("/api/contact")
                .then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"));
        given().contentType(ContentType.JSON).body("{\"name\": {\"first\": \"Ada\"}, \"email\": \"a@b.co\", \"message\": \"x\"}")
                .post("/api/contact")
                .then().statusCode(400)
                .body("error.code", equalTo("INVALID_JSON"))
                .body("error.details[0].field", equalTo("name"));
        assertEquals(0, Sql.count("SELECT count(*) FROM contacts"));
    }

    @ParameterizedTest(name = "{0} of the wrong JSON type is INVALID_JSON")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "name    | 123",
            "name    | 1.5",
            "name    | true",
            "name    | {\"a\":1}",
            "name    | [\"Ada\"]",
            "email   | 42",
            "message | [1, 2]",
            "website | false",
    })
    void fieldOfTheWrongJsonTypeIsInvalidJsonNamingTheField(String field, String json) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("name", "\"Ada\"");
        fields.put("email", "\"ada@example.com\"");
        fields.put("message", "\"Hello\"");
        fields.put(field, json);
        String body = fields.entrySet().stream().map(f -> "\"" + f.getKey() + "\":" + f.getValue())
                .collect(java.util.stream.Collectors.joining(",", "{", "}"));
        given().contentType(ContentType.JSON).body(body)
                .post("/api/contact")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("INVALID_JSON"))
                .body("error.details[0].field", equalTo(field))
                .body("error.details[0].message", equalTo("has the wrong type"))
                .body("error.requestId", notNullValue());
        assertEquals(0, Sql.count("SELECT count(*) FROM contacts"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @ParameterizedTest(name = "NUL in {0} is VALIDATION_ERROR")
    @ValueSource(strings = {"name", "email", "message"})
    void nulCharacterInAFieldIsAValidationErrorAndNothingIsStored(String field) {
        Map<String, Object> body = new java.util.HashMap<>(
                Map.of("name", "Ada", "email", "ada@example.com", "message", "Hello"));
        body.put(field, "ada\u0000@example.com");
        given().contentType(ContentType.JSON).body(body)
                .post("/api/contact")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details[0].field", equalTo(field))
                .body("error.details[0].message", equalTo("must not contain NUL characters"));
        assertEquals(0, Sql.count("SELECT count(*) FROM contacts"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }

    @Test
    void wrongContentTypeIsRejected() {
        given().contentType(ContentType.TEXT).body("name=Ada&email=ada@example.com&message=hi")
                .post("/api/contact")
                .then().statusCode(415)
                .body("success", equalTo(false))
                .body("error.code", equalTo("UNSUPPORTED_MEDIA_TYPE"));
        assertEquals(0, Sql.count("SELECT count(*) FROM contacts"));
    }

    @Test
    void twoMegabyteBodyIsRejected() {
        String huge = "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"message\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        given().contentType(ContentType.JSON).body(huge)
                .post("/api/contact")
                .then().statusCode(413)
                .body("success", equalTo(false))
                .body("error.code", equalTo("PAYLOAD_TOO_LARGE"));
        assertEquals(0, Sql.count("SELECT count(*) FROM contacts"));
    }

    @Test
    void unknownRouteIsNotFoundInTheEnvelope() {
        given().get("/api/nothing-here")
                .then().statusCode(404)
                .body("success", equalTo(false))
                .body("error.code", equalTo("NOT_FOUND"));
    }

    @Test
    void requestIdIsKeptWhenSent() {
        given().contentType(ContentType.JSON).header("X-Request-Id", "abc-123").body("{}")
                .post("/api/contact")
                .then().statusCode(400)
                .header("X-Request-Id", "abc-123")
                .body("error.requestId", equalTo("abc-123"));
    }

    @Test
    void healthMetricsAndOpenApiAreServedOnTheManagementPortOnly() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
        app.backbone.testing.Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        app.backbone.testing.Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        app.backbone.testing.Management.given().get("/q/metrics").then().statusCode(200).body(matchesPattern("(?s).*outbox_mails_pending.*"));
        app.backbone.testing.Management.given().get("/q/openapi").then().statusCode(200).body(matchesPattern("(?s).*/api/contact.*"));
    }

    private static MimeMessage messageTo(String address) throws Exception {
        for (MimeMessage message : SmtpResource.mail().getReceivedMessages()) {
            Address[] to = message.getAllRecipients();
            if (Arrays.stream(to).anyMatch(a -> a.toString().equals(address))) {
                return message;
            }
        }
        throw new AssertionError("No mail to " + address);
    }
}
