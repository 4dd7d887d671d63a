package app.backbone.contact;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.http.Fault;

import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The contact form with Cloudflare Turnstile configured: the token is checked server-side before anything is kept. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(CaptchaStandIn.class)
class ContactCaptchaTest {

    private static final String VERIFY = "/turnstile/v0/siteverify";

    @BeforeEach
    void clean() throws Exception {
        Sql.update("DELETE FROM contacts");
        Sql.update("DELETE FROM email_outbox");
        SmtpResource.purge();
        CaptchaStandIn.server().resetAll();
    }

    @ParameterizedTest(name = "the token under {0} is checked and the submission stored")
    @ValueSource(strings = {"captchaToken", "cf-turnstile-response"})
    void acceptedTokenStoresTheSubmission(String field) {
        answer(200, "{\"success\":true,\"error-codes\":[]}");
        given().contentType(ContentType.JSON).body(Map.of("name", "Ada", "email", "ada@example.com",
                        "message", "Hello", field, "token-from-the-widget"))
                .post("/api/contact")
                .then().statusCode(201).body("success", org.hamcrest.Matchers.equalTo(true));
        assertEquals(1, Sql.count("SELECT count(*) FROM contacts"));
        assertEquals(2, Sql.count("SELECT count(*) FROM email_outbox"));
        CaptchaStandIn.server().verify(1, postRequestedFor(urlEqualTo(VERIFY))
                .withRequestBody(containing("secret=" + CaptchaStandIn.SECRET))
                .withRequestBody(containing("response=token-from-the-widget")));
    }

    @Test
    void refusedTokenIsAValidationErrorAndNothingIsStored() {
        answer(200, "{\"success\":false,\"error-codes\":[\"invalid-input-response\"]}");
        submitWithToken("forged")
                .then().statusCode(400)
                .body("success", org.hamcrest.Matchers.equalTo(false))
                .body("error.code", org.hamcrest.Matchers.equalTo("VALIDATION_ERROR"))
                .body("error.details.field", hasItem("captchaToken"));
        assertNothingStored();
    }

    @Test
    void missingTokenIsAValidationErrorWithoutAskingTheProvider() {
        given().contentType(ContentType.JSON).body(Map.of("name", "Ada", "email", "ada@example.com", "message", "Hi"))
                .post("/api/contact")
                .then().statusCode(400)
                .body("error.code", org.hamcrest.Matchers.equalTo("VALIDATION_ERROR"))
                .body("error.details.field", hasItem("captchaToken"));
        assertNothingStored();
        assertEquals(0, CaptchaStandIn.server().getAllServeEvents().size());
    }

    @Test
    void providerThatCannotAnswerIsServiceUnavailableAndNothingIsStored() {
        CaptchaStandIn.server().stubFor(post(urlEqualTo(VERIFY))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        submitWithToken("token").then().statusCode(503)
                .body("error.code", org.hamcrest.Matchers.equalTo("SERVICE_UNAVAILABLE"));
        assertNothingStored();

        answer(200, "{\"success\":true}");
        CaptchaStandIn.server().stubFor(post(urlEqualTo(VERIFY)).willReturn(aResponse().withFixedDelay(10000)
                .withHeader("Content-Type", "application/json").withBody("{\"success\":true}")));
        submitWithToken("token").then().statusCode(503);
        assertNothingStored();
    }

    @Test
    void honeypotStillDropsTheBotBeforeAnyCheck() {
        given().contentType(ContentType.JSON).body(Map.of("name", "Bot", "email", "bot@example.com", "message", "x",
                        "website", "http://spam.example"))
                .post("/api/contact")
                .then().statusCode(201);
        assertNothingStored();
        assertEquals(0, CaptchaStandIn.server().getAllServeEvents().size());
    }

    private static io.restassured.response.Response submitWithToken(String token) {
        return given().contentType(ContentType.JSON).body(Map.of("name", "Ada", "email", "ada@example.com",
                "message", "Hello", "captchaToken", token)).post("/api/contact");
    }

    private static void answer(int status, String body) {
        CaptchaStandIn.server().stubFor(post(urlEqualTo(VERIFY)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    private static void assertNothingStored() {
        assertEquals(0, Sql.count("SELECT count(*) FROM contacts"));
        assertEquals(0, Sql.count("SELECT count(*) FROM email_outbox"));
    }
}
