package app.backbone.webhook;

import static app.backbone.webhook.Deliveries.newEventId;
import static app.backbone.webhook.Deliveries.postStripe;
import static app.backbone.webhook.Deliveries.stripeEvent;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;

@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SmtpResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = ClerkJwksResource.class, restrictToAnnotatedClass = false)
class SubscriptionStatusTest {

    @BeforeEach
    void clean() {
        Deliveries.cleanDatabase();
    }

    private static void subscribe(String clerkUserId, String customerId, String subscriptionId, String status,
            long eventCreated) {
        postStripe(stripeEvent(newEventId(), "customer.created", eventCreated,
                Map.of("id", customerId, "object", "customer", "metadata", Map.of("clerk_user_id", clerkUserId))))
                .then().statusCode(200);
        postStripe(stripeEvent(newEventId(), "customer.subscription.updated", eventCreated, Map.of(
                "id", subscriptionId, "object", "subscription", "customer", customerId, "status", status,
                "items", Map.of("data", List.of(Map.of("price", Map.of("id", "price_pro"),
                        "current_period_end", eventCreated + 86400)))))).then().statusCode(200);
    }

    @Test
    void userWithAnActiveSubscriptionIsSubscribed() {
        subscribe("user_active", "cus_act", "sub_act", "active", Instant.now().getEpochSecond());
        given().auth().oauth2(ClerkJwksResource.token("user_active"))
                .get("/stripe/subscription")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("data.subscribed", equalTo(true))
                .body("data.stripeCustomerId", equalTo("cus_act"))
                .body("data.subscriptions", hasSize(1))
                .body("data.subscriptions[0].id", equalTo("sub_act"))
                .body("data.subscriptions[0].status", equalTo("active"))
                .body("data.subscriptions[0].priceId", equalTo("price_pro"))
                .body("data.subscriptions[0].currentPeriodEnd", notNullValue());
        ClerkJwksResource.server().verify(getRequestedFor(urlEqualTo(ClerkJwksResource.JWKS_PATH)));
    }

    @Test
    void userWhoseSubscriptionWasCanceledIsNotSubscribed() {
        subscribe("user_gone", "cus_gone", "sub_gone", "canceled", Instant.now().getEpochSecond());
        given().auth().oauth2(ClerkJwksResource.token("user_gone"))
                .get("/stripe/subscription")
                .then().statusCode(200)
                .body("data.subscribed", equalTo(false))
                .body("data.subscriptions[0].status", equalTo("canceled"));
    }

    @Test
    void userWithoutACustomerIsNotSubscribed() {
        subscribe("user_other", "cus_other", "sub_other", "active", Instant.now().getEpochSecond());
        given().auth().oauth2(ClerkJwksResource.token("user_nobody"))
                .get("/stripe/subscription")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("data.subscribed", equalTo(false))
                .body("data.stripeCustomerId", nullValue())
                .body("data.subscriptions", hasSize(0));
    }

    @Test
    void requestWithoutATokenIsUnauthorized() {
        given().get("/stripe/subscription")
                .then().statusCode(401)
                .body("success", equalTo(false))
                .body("error.code", equalTo("UNAUTHORIZED"))
                .body("error.requestId", notNullValue());
    }

    @Test
    void expiredTokenIsUnauthorized() {
        subscribe("user_late", "cus_late", "sub_late", "active", Instant.now().getEpochSecond());
        String expired = ClerkJwksResource.token("user_late", ClerkJwksResource.ISSUER, ClerkJwksResource.APP_ORIGIN,
                Instant.now().minusSeconds(60), foreignOrOwn(false));
        given().auth().oauth2(expired).get("/stripe/subscription")
                .then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void tokenSignedWithAnotherKeyIsUnauthorized() {
        String forged = ClerkJwksResource.token("user_active", ClerkJwksResource.ISSUER, ClerkJwksResource.APP_ORIGIN,
                Instant.now().plusSeconds(300), foreignOrOwn(true));
        given().auth().oauth2(forged).get("/stripe/subscription")
                .then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void tokenOfAnotherIssuerIsUnauthorized() {
        String foreign = ClerkJwksResource.token("user_active", "https://clerk.elsewhere.test",
                ClerkJwksResource.APP_ORIGIN, Instant.now().plusSeconds(300), foreignOrOwn(false));
        given().auth().oauth2(foreign).get("/stripe/subscription")
                .then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void tokenForAnotherApplicationIsUnauthorized() {
        String otherApp = ClerkJwksResource.token("user_active", ClerkJwksResource.ISSUER,
                "https://evil.example.com", Instant.now().plusSeconds(300), foreignOrOwn(false));
        given().auth().oauth2(otherApp).get("/stripe/subscription")
                .then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void hmacSignedTokenIsUnauthorized() {
        String hs256 = Jwt.issuer(ClerkJwksResource.ISSUER).subject("user_active")
                .expiresAt(Instant.now().plusSeconds(300))
                .signWithSecret("a-shared-secret-that-is-long-enough-for-hs256-0123456789");
        given().auth().oauth2(hs256).get("/stripe/subscription")
                .then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void malformedTokenIsUnauthorized() {
        given().auth().oauth2("not.a.jwt").get("/stripe/subscription")
                .then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED"));
    }

    private static java.security.PrivateKey foreignOrOwn(boolean foreign) {
        return foreign ? ClerkJwksResource.foreignKey() : ClerkJwksResource.ownKey();
    }
}
