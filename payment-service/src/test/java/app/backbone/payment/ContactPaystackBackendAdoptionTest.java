package app.backbone.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.backbone.testing.ExpressBackends;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The README's "From the contact + Paystack backend": its database (the document's schema, with rows) is adopted at
 * start, and what it held is served as it was.
 */
@QuarkusTest
@TestProfile(ExpressBackends.ContactPaystackBackend.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(ProviderStandIns.class)
class ContactPaystackBackendAdoptionTest {

    @BeforeEach
    void resetStandIns() {
        // The adopted rows are what these tests are about: only the stand-ins start afresh.
        ProviderStandIns.stripe().resetAll();
        ProviderStandIns.paystack().resetAll();
    }

    @Test
    void oldSuccessfulPaymentIsServedAsItWasWithoutAskingPaystack() {
        given().get("/api/payment/verify/PSK-1709283600000-paid01")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("data.reference", equalTo("PSK-1709283600000-paid01"))
                .body("data.status", equalTo("success"))
                .body("data.amount", equalTo(1500))
                .body("data.currency", equalTo("KES"))
                .body("data.provider", equalTo("paystack"))
                .body("data.createdAt", equalTo("2024-03-01T10:00:00Z"))
                .body("data.paidAt", equalTo("2024-03-01T10:05:00Z"));
        assertEquals(0, ProviderStandIns.paystack().findAll(anyRequestedFor(anyUrl())).size());
        assertEquals(List.of(Map.of("provider_ref", "T685312322670591", "paystack_ref", "T685312322670591")),
                Sql.rows("SELECT provider_ref, paystack_ref FROM payments WHERE reference = 'PSK-1709283600000-paid01'"));
    }

    @Test
    void oldFailedPaymentKeepsItsStatus() {
        given().get("/api/payment/verify/PSK-1709283600000-fail01")
                .then().statusCode(200)
                .body("data.status", equalTo("failed"))
                .body("data.amount", equalTo(2500))
                .body("data.paidAt", nullValue());
        assertEquals(0, ProviderStandIns.paystack().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void oldOpenPaymentIsVerifiedWithPaystackAndSettled() {
        Stubs.paystackVerify("PSK-1709283600000-open01", "success", 70000, "KES");

        given().get("/api/payment/verify/PSK-1709283600000-open01")
                .then().statusCode(200)
                .body("data.status", equalTo("success"))
                .body("data.amount", equalTo(700));
        assertEquals("success", Sql.rows("SELECT status FROM payments WHERE reference = 'PSK-1709283600000-open01'")
                .get(0).get("status"));
    }

    @Test
    void paymentTheOldBackendInsertsAfterAdoptionIsServed() {
        // What the old backend still sends while both run: its own columns only.
        Sql.update("INSERT INTO payments (email, amount, reference, status, paystack_ref) VALUES (?, ?, ?, ?, ?)",
                "late@example.com", 900, "PSK-1709999999999-late01", "success", "T685312322679999");

        given().get("/api/payment/verify/PSK-1709999999999-late01")
                .then().statusCode(200)
                .body("data.status", equalTo("success"))
                .body("data.amount", equalTo(900))
                .body("data.currency", equalTo("KES"))
                .body("data.provider", equalTo("paystack"));
        Map<String, Object> row = Sql.rows("SELECT provider_ref, paid_at FROM payments WHERE reference = ?",
                "PSK-1709999999999-late01").get(0);
        assertEquals("T685312322679999", row.get("provider_ref"));
        assertEquals(true, row.get("paid_at") != null);
    }

    @Test
    void contactRowsStayWithTheirTimesInUtc() {
        assertEquals(List.of(Map.of("name", "Ada Lovelace", "message", "Written before the switch",
                "created", "2024-03-01 09:00:00", "type", "timestamp with time zone")), Sql.rows("""
                SELECT name, message, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS created,
                       pg_typeof(created_at)::text AS type
                  FROM contacts"""));
    }

    @Test
    void rowLevelSecurityStaysOnForEveryTable() {
        assertEquals(0, Sql.count("""
                SELECT count(*) FROM pg_class
                 WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' AND NOT relrowsecurity
                   AND relname <> 'flyway_schema_history'"""));
    }

    @Test
    void theDatabaseWasBaselinedBelowV1SoEveryMigrationRan() {
        assertEquals(List.of("0", "1", "2", "3", "4", "4.1"), Sql.rows("""
                SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL
                 ORDER BY installed_rank""").stream().map(r -> (String) r.get("version")).filter(v -> v.compareTo("5") < 0).toList());
    }
}
