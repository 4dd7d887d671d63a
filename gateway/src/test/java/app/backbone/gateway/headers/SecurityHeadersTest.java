package app.backbone.gateway.headers;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import app.backbone.gateway.support.GatewayBackendsResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
class SecurityHeadersTest {

    @Test
    void proxiedAnswersCarryTheHardeningHeadersAndNoServerBanner() {
        hardened(given().get("/api/payment/verify/REF-HEADERS").then().statusCode(200).body("service", equalTo("payment")))
                .header("Strict-Transport-Security", nullValue());
    }

    @Test
    void gatewayErrorsCarryThemToo() {
        hardened(given().get("/no/such/route").then().statusCode(404).body("error.code", equalTo("NOT_FOUND")));
        hardened(given().get("/stripe/products").then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED")));
    }

    @Test
    void rootCarriesThem() {
        hardened(given().get("/").then().statusCode(200).body("status", equalTo("UP")));
    }

    @Test
    void hstsIsSentWhenATrustedProxySaysTheClientUsedTls() {
        hardened(given().header("X-Forwarded-Proto", "https").get("/api/payment/verify/REF-TLS").then().statusCode(200))
                .header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }

    private static ValidatableResponse hardened(ValidatableResponse response) {
        return response
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
                .header("Server", nullValue())
                .header("X-Request-Id", org.hamcrest.Matchers.notNullValue());
    }
}
