package app.backbone.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import app.backbone.gateway.support.ClientIps;
import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.support.InjectBackends;
import app.backbone.gateway.support.TestBackends;
import app.backbone.gateway.support.Tokens;
import app.backbone.testing.Concurrently;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Who a bucket belongs to: extra accounts, IPv6 hosts and provider-calling routes cannot multiply a quota. */
@QuarkusTest
@WithTestResource(value = GatewayBackendsResource.class,
        initArgs = @ResourceArg(name = GatewayBackendsResource.PROVIDER_PER_MINUTE, value = "3"))
class RateLimitKeysTest {

    @InjectBackends
    TestBackends backends;

    @Test
    void oneAddressWithThreeAccountsGetsTheAddressLimitNotThreeTimesIt() throws Exception {
        String ip = ClientIps.next();
        String run = "keys-accounts-" + UUID.randomUUID();
        List<String> tokens = List.of(Tokens.valid("user_a_" + run), Tokens.valid("user_b_" + run), Tokens.valid("user_c_" + run));
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String token = tokens.get(i % 3);
            String requestId = run + "-" + i;
            calls.add(() -> initiate(token, ip, requestId).statusCode());
        }
        List<Integer> statuses = Concurrently.all(calls);
        assertEquals(3, statuses.stream().filter(s -> s == 200).count(), "statuses " + statuses);
        assertEquals(6, statuses.stream().filter(s -> s == 429).count(), "statuses " + statuses);
        assertEquals(3, backends.payment().received().stream()
                .filter(r -> r.header("X-Request-Id").startsWith(run)).count());
    }

    @Test
    void oneAccountFromManyAddressesGetsTheUserLimit() {
        String token = Tokens.valid("user_roaming_" + UUID.randomUUID());
        for (int i = 0; i < 3; i++) {
            initiate(token, ClientIps.next(), "keys-roam-" + UUID.randomUUID()).then().statusCode(200);
        }
        initiate(token, ClientIps.next(), "keys-roam-" + UUID.randomUUID()).then().statusCode(429)
                .body("success", equalTo(false)).body("error.code", equalTo("RATE_LIMITED"));
    }

    @Test
    void verifyIsLimitedPerAddress() {
        String ip = ClientIps.next();
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", ip).get("/api/payment/verify/PSK-" + i).then().statusCode(200)
                    .header("RateLimit-Policy", "3;w=60");
        }
        given().header("X-Forwarded-For", ip).get("/api/payment/verify/PSK-4").then().statusCode(429)
                .body("error.code", equalTo("RATE_LIMITED"));
        given().header("X-Forwarded-For", ClientIps.next()).get("/api/payment/verify/PSK-5").then().statusCode(200);
    }

    @Test
    void stripeCustomerIsLimitedPerUser() {
        String token = Tokens.valid("user_customer_" + UUID.randomUUID());
        for (int i = 0; i < 3; i++) {
            stripeCustomer(token, ClientIps.next()).then().statusCode(200).header("RateLimit-Policy", "3;w=60");
        }
        stripeCustomer(token, ClientIps.next()).then().statusCode(429).body("error.code", equalTo("RATE_LIMITED"));
        // Other Stripe routes keep their own, larger quota.
        given().header("Authorization", "Bearer " + token).header("X-Forwarded-For", ClientIps.next())
                .get("/stripe/products").then().statusCode(200);
    }

    @Test
    void subscriptionRoutesThatCallStripeShareTheProviderLimitAndTheListDoesNot() {
        String token = Tokens.valid("user_subscriber_" + UUID.randomUUID());
        asUser(token).contentType("application/json").body("{}").post("/stripe/checkout")
                .then().statusCode(200).header("RateLimit-Policy", "3;w=60");
        asUser(token).contentType("application/json").body("{}").post("/stripe/subscriptions/sub_1/cancel")
                .then().statusCode(200).header("RateLimit-Policy", "3;w=60");
        asUser(token).get("/stripe/invoices").then().statusCode(200).header("RateLimit-Policy", "3;w=60");

        asUser(token).get("/stripe/payment-methods").then().statusCode(429).body("error.code", equalTo("RATE_LIMITED"));
        asUser(token).contentType("application/json").body("{}").post("/stripe/portal").then().statusCode(429);
        asUser(token).contentType("application/json").body("{}").post("/stripe/subscriptions/sub_1/update")
                .then().statusCode(429);
        // The list is read from our table: it falls through to the `stripe` route and its own quota.
        asUser(token).get("/stripe/subscriptions").then().statusCode(200).header("RateLimit-Policy", "100000;w=60");
    }

    private static io.restassured.specification.RequestSpecification asUser(String token) {
        return given().header("Authorization", "Bearer " + token).header("X-Forwarded-For", ClientIps.next());
    }

    @Test
    void ipv6ClientsInOneSlash64ShareABucket() throws Exception {
        String prefix = "2001:db8:" + Integer.toHexString(1 + (int) (Math.random() * 60000)) + ":";
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            String address = prefix + "1::" + Integer.toHexString(i * 4099);
            calls.add(() -> contact(address).statusCode());
        }
        List<Integer> statuses = Concurrently.all(calls);
        assertEquals(5, statuses.stream().filter(s -> s == 200).count(), "contact allows 5 per /64: " + statuses);
        contact(prefix + "1:ffff:ffff:ffff:ffff").then().statusCode(429).body("error.code", equalTo("RATE_LIMITED"));
        contact(prefix + "2::1").then().statusCode(200);
    }

    private static Response initiate(String token, String ip, String requestId) {
        return given().header("Authorization", "Bearer " + token).header("X-Forwarded-For", ip)
                .header("X-Request-Id", requestId)
                .contentType("application/json").body("{\"email\":\"a@example.com\",\"amount\":100}")
                .post("/api/payment/initiate");
    }

    private static Response stripeCustomer(String token, String ip) {
        return given().header("Authorization", "Bearer " + token).header("X-Forwarded-For", ip)
                .contentType("application/json").body("{}").post("/stripe/customer");
    }

    private static Response contact(String ip) {
        return given().header("X-Forwarded-For", ip).contentType("application/json").body("{\"name\":\"Ada\"}")
                .post("/api/contact");
    }
}
