package app.backbone.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * Stripe takes at most 8 digits of minor units, so a three-decimal currency allowed by {@code PAYMENT_CURRENCIES}
 * reaches the limit at 99,999 (99,999,000 fils), below the configured maximum: more is a 400 here, never a payment
 * that Stripe refuses (a 502).
 */
@QuarkusTest
@TestProfile(ThreeDecimalCurrencyAmountTest.KuwaitiDinars.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(ProviderStandIns.class)
class ThreeDecimalCurrencyAmountTest {

    public static class KuwaitiDinars implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("payment.currencies", "KES,USD,KWD");
        }
    }

    @BeforeEach
    void clean() {
        Stubs.clean();
    }

    @Test
    void amountPastStripesDigitsInAThreeDecimalCurrencyIsRejectedAndNothingIsStored() {
        given().contentType(ContentType.JSON)
                .body(Map.of("email", "ali@example.com", "amount", 100_000, "currency", "KWD", "provider", "stripe"))
                .post("/api/payment/initiate")
                .then().statusCode(400)
                .body("success", equalTo(false))
                .body("error.code", equalTo("VALIDATION_ERROR"))
                .body("error.details.findAll { it.field == 'amount' }.message", hasItem("must be at most 99999"));

        assertEquals(0, Sql.count("SELECT count(*) FROM payments"));
        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void twoDecimalCurrencyKeepsTheConfiguredMaximum() {
        given().contentType(ContentType.JSON)
                .body(Map.of("email", "ali@example.com", "amount", 1_000_000, "currency", "USD", "provider", "stripe"))
                .post("/api/payment/initiate")
                .then().statusCode(400)
                .body("error.details.findAll { it.field == 'amount' }.message", hasItem("must be at most 999999"));

        assertEquals(0, Sql.count("SELECT count(*) FROM payments"));
    }
}
