package app.backbone.webhook;

import static app.backbone.webhook.Deliveries.newEventId;
import static app.backbone.webhook.Deliveries.stripeEvent;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import app.backbone.testing.WebhookSignatures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class ServiceSurfaceTest {

    @BeforeEach
    void clean() {
        Deliveries.cleanDatabase();
    }

    @Test
    void webhookIgnoresAnAuthorizationHeaderAndAnyContentType() {
        String body = stripeEvent(newEventId(), "customer.created", Map.of("id", "cus_h", "object", "customer"));
        given().contentType("text/plain")
                .header("Authorization", "Bearer garbage")
                .header("Stripe-Signature",
                        WebhookSignatures.stripe(Deliveries.STRIPE_SECRET, Instant.now().getEpochSecond(), body))
                .body(body)
                .post("/webhooks/stripe")
                .then().statusCode(200).body("received", equalTo(true));
        assertEquals(1, Sql.count("SELECT count(*) FROM webhook_events"));
    }

    @Test
    void getOnAWebhookIsNotAllowedInTheEnvelope() {
        given().get("/webhooks/stripe")
                .then().statusCode(405)
                .body("success", equalTo(false))
                .body("error.code", equalTo("METHOD_NOT_ALLOWED"));
    }

    @Test
    void unknownRouteIsNotFoundInTheEnvelope() {
        given().post("/webhooks/nothing")
                .then().statusCode(404)
                .body("success", equalTo(false))
                .body("error.code", equalTo("NOT_FOUND"));
    }

    @Test
    void healthMetricsAndOpenApiAreServedOnTheManagementPortOnly() {
        given().get("/q/health/ready").then().statusCode(404);
        app.backbone.testing.Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        app.backbone.testing.Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        app.backbone.testing.Management.given().get("/q/openapi").then().statusCode(200)
                .body(matchesPattern("(?s).*/webhooks/stripe.*/webhooks/paystack.*|(?s).*/webhooks/paystack.*/webhooks/stripe.*"));
        String body = stripeEvent(newEventId(), "customer.created", Map.of("id", "cus_m", "object", "customer"));
        Deliveries.postStripe(body).then().statusCode(200);
        app.backbone.testing.Management.given().get("/q/metrics").then().statusCode(200)
                .body(matchesPattern("(?s).*webhooks_received_total\\{.*outcome=\"applied\".*provider=\"stripe\".*"));
    }
}
