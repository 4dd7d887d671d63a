package app.backbone.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Whichever layer refuses a request (Vert.x's router, the body limit, the JSON reader, Bean Validation, the HTTP
 * security layer), the answer is the envelope with the caller's request id, in the body and the header, and nothing
 * is stored or sent to a provider.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(ProviderStandIns.class)
class ErrorAnswersTest {

    @BeforeEach
    void clean() {
        Stubs.clean();
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource({
            "404, NOT_FOUND, unknown path",
            "405, METHOD_NOT_ALLOWED, method the route does not take",
            "413, PAYLOAD_TOO_LARGE, body over the limit",
            "400, INVALID_JSON, body that is not JSON",
            "400, VALIDATION_ERROR, body with a wrong field",
            "415, UNSUPPORTED_MEDIA_TYPE, body that is not JSON by its type",
            "401, UNAUTHORIZED, catalogue without a token"})
    void everyErrorAnswerIsTheEnvelopeWithTheRequestId(int status, String code, String kind) {
        String requestId = "refused-" + UUID.randomUUID();
        RequestSpecification request = given().header("X-Request-Id", requestId);
        Response answer = switch (kind) {
            case "unknown path" -> request.get("/api/payment/nothing-here");
            case "method the route does not take" -> request.delete("/api/payment/verify/PSK-1-x");
            case "body over the limit" -> request.contentType("application/json")
                    .body("{\"email\":\"" + "a".repeat(70_000) + "@example.com\",\"amount\":100}")
                    .post("/api/payment/initiate");
            case "body that is not JSON" -> request.contentType("application/json").body("{\"email\":")
                    .post("/api/payment/initiate");
            case "body with a wrong field" -> request.contentType("application/json")
                    .body("{\"email\":\"not-an-address\",\"amount\":100}").post("/api/payment/initiate");
            case "body that is not JSON by its type" -> request.contentType("text/plain").body("email=a@b.c")
                    .post("/api/payment/initiate");
            case "catalogue without a token" -> request.get("/stripe/products");
            default -> throw new IllegalArgumentException(kind);
        };

        answer.then().statusCode(status)
                .contentType(startsWith("application/json"))
                .header("X-Request-Id", requestId)
                .body("success", equalTo(false))
                .body("error.code", equalTo(code))
                .body("error.requestId", equalTo(requestId));
        assertEquals(0, Sql.count("SELECT count(*) FROM payments"), kind);
        assertEquals(0, ProviderStandIns.stripe().findAll(anyRequestedFor(anyUrl())).size(), kind);
        assertEquals(0, ProviderStandIns.paystack().findAll(anyRequestedFor(anyUrl())).size(), kind);
    }
}
