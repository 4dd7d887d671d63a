package app.backbone.contact;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import app.backbone.testing.ExpressBackends;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** The README's "From the contact + Paystack backend": its contacts stay, and new ones go into the same table. */
@QuarkusTest
@TestProfile(ExpressBackends.ContactPaystackBackend.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class ContactPaystackBackendAdoptionTest {

    @Test
    void oldContactStaysAndANewOneIsStoredBesideIt() {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "Grace", "email", "grace@example.com", "message", "Written after the switch"))
                .post("/api/contact")
                .then().statusCode(201)
                .body("success", equalTo(true))
                .body("data.email", equalTo("grace@example.com"));
        assertEquals(List.of(
                Map.of("name", "Ada Lovelace", "created", "2024-03-01 09:00:00"),
                Map.of("name", "Grace", "created", "new")), Sql.rows("""
                SELECT name, CASE WHEN created_at > now() - interval '1 hour' THEN 'new'
                                  ELSE to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') END AS created
                  FROM contacts ORDER BY created_at"""));
        assertEquals(2, Sql.count("SELECT count(*) FROM email_outbox"));
    }
}
