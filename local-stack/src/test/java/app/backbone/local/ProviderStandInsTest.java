package app.backbone.local;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.Product;
import com.stripe.model.StripeCollection;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.net.Webhook;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.ProductListParams;
import com.stripe.param.checkout.SessionCreateParams;

import app.backbone.local.clerk.DevClerk;
import app.backbone.local.providers.PaystackStandIn;
import app.backbone.local.providers.StripeStandIn;
import app.backbone.testing.WebhookSignatures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/** The stand-ins speak the providers' wire formats: the real stripe-java client and Paystack's JSON work against them. */
@QuarkusTest
@WithTestResource(WebhookReceiver.class)
class ProviderStandInsTest {

    private static int stripePort;
    private static int paystackPort;
    private static int clerkPort;
    private static DevClerk clerk;

    @Inject
    Vertx vertx;
    @Inject
    StripeStandIn stripe;
    @Inject
    PaystackStandIn paystack;

    @BeforeEach
    void listen() throws Exception {
        if (stripePort == 0) {
            stripePort = listen(stripe.router(vertx, "http://127.0.0.1:" + 0));
            paystackPort = listen(paystack.router(vertx, "http://127.0.0.1:" + 0));
            Path key = Files.createTempDirectory("clerk").resolve("key.pem");
            clerk = DevClerk.load(key, "http://127.0.0.1:" + 0);
            clerkPort = listen(clerk.router(vertx));
        }
        WebhookReceiver.DELIVERIES.clear();
    }

    private StripeClient stripeClient() {
        return StripeClient.builder().setApiKey("sk_test_local").setApiBase("http://127.0.0.1:" + stripePort).build();
    }

    @Test
    void checkoutSessionPaidOnTheLocalPageSendsASignedCompletedEvent() throws Exception {
        Session session = stripeClient().checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setClientReferenceId("PSK-1-abc")
                .setSuccessUrl("http://shop.test/paid")
                .setCancelUrl("http://shop.test/cancelled")
                .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency("kes")
                                .setUnitAmount(150000L)
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName("Order PSK-1-abc").build())
                                .build())
                        .build())
                .build());
        assertEquals(150000L, session.getAmountTotal());
        assertTrue(session.getUrl().endsWith("/checkout/" + session.getId()));

        String checkout = "http://127.0.0.1:" + stripePort + "/checkout/" + session.getId();
        given().get(checkout).then().statusCode(200).body(org.hamcrest.Matchers.containsString("KES 1500.00"));
        given().redirects().follow(false).post(checkout + "/pay")
                .then().statusCode(302).header("Location", "http://shop.test/paid");

        await().atMost(Duration.ofSeconds(5)).until(() -> WebhookReceiver.DELIVERIES.size() == 1);
        WebhookReceiver.Delivery delivery = WebhookReceiver.DELIVERIES.get(0);
        assertEquals("/webhooks/stripe", delivery.path());
        Event event = Webhook.constructEvent(delivery.body(), delivery.header("Stripe-Signature"),
                "whsec_local_development_secret");
        assertEquals("checkout.session.completed", event.getType());
        Session paid = stripeClient().checkout().sessions().retrieve(session.getId());
        assertEquals("paid", paid.getPaymentStatus());
        assertEquals("PSK-1-abc", paid.getClientReferenceId());
    }

    @Test
    void customersAreIdempotentByKeyAndAnnouncedByWebhook() throws Exception {
        RequestOptions options = RequestOptions.builder().setIdempotencyKey("customer-user_1").build();
        CustomerCreateParams params = CustomerCreateParams.builder().setEmail("ada@example.com")
                .putMetadata("clerk_user_id", "user_1").build();
        Customer first = stripeClient().customers().create(params, options);
        Customer second = stripeClient().customers().create(params, options);
        assertEquals(first.getId(), second.getId());
        assertEquals("user_1", first.getMetadata().get("clerk_user_id"));
        await().atMost(Duration.ofSeconds(5)).until(() -> WebhookReceiver.DELIVERIES.size() == 1);
        assertTrue(WebhookReceiver.DELIVERIES.get(0).body().contains("\"customer.created\""));
    }

    @Test
    void catalogueListsOnlyActiveProductsWithExpandedPricesAndUnknownIdsAre404() throws Exception {
        StripeCollection<Product> products = stripeClient().products().list(ProductListParams.builder()
                .setActive(true).setLimit(1L).addExpand("data.default_price").build());
        assertEquals(1, products.getData().size());
        assertTrue(products.getHasMore());
        assertNotNull(products.getData().get(0).getDefaultPriceObject());
        StripeCollection<Product> next = stripeClient().products().list(ProductListParams.builder().setActive(true)
                .setStartingAfter(products.getData().get(0).getId()).build());
        assertEquals(1, next.getData().size());
        assertTrue(!next.getHasMore());
        InvalidRequestException missing = assertThrows(InvalidRequestException.class,
                () -> stripeClient().products().retrieve("prod_nope"));
        assertEquals(404, missing.getStatusCode());
        assertEquals("resource_missing", missing.getCode());
    }

    @Test
    void paystackPaymentPaidOnTheLocalPageSendsASignedChargeSuccess() {
        String base = "http://127.0.0.1:" + paystackPort;
        given().contentType(ContentType.JSON).header("Authorization", "Bearer sk_test_local_paystack")
                .body(Map.of("email", "ada@example.com", "amount", 250000, "currency", "KES", "reference", "PSK-2-xyz",
                        "callback_url", "http://shop.test/back"))
                .post(base + "/transaction/initialize")
                .then().statusCode(200).body("status", equalTo(true))
                .body("data.reference", equalTo("PSK-2-xyz"))
                .body("data.authorization_url", startsWith("http://127.0.0.1:0/pay/PSK-2-xyz"));
        given().get(base + "/transaction/verify/PSK-2-xyz").then().statusCode(200).body("data.status", equalTo("ongoing"));

        given().redirects().follow(false).post(base + "/pay/PSK-2-xyz/pay")
                .then().statusCode(302).header("Location", "http://shop.test/back?reference=PSK-2-xyz&trxref=PSK-2-xyz");

        await().atMost(Duration.ofSeconds(5)).until(() -> WebhookReceiver.DELIVERIES.size() == 1);
        WebhookReceiver.Delivery delivery = WebhookReceiver.DELIVERIES.get(0);
        assertEquals("/webhooks/paystack", delivery.path());
        assertEquals(WebhookSignatures.paystack("sk_test_local_paystack", delivery.body()),
                delivery.header("x-paystack-signature"));
        assertTrue(delivery.body().contains("\"charge.success\""));
        given().get(base + "/transaction/verify/PSK-2-xyz").then().statusCode(200)
                .body("data.status", equalTo("success")).body("data.amount", equalTo(250000))
                .body("data.currency", equalTo("KES"));
        given().get(base + "/transaction/verify/PSK-unknown").then().statusCode(400).body("status", equalTo(false));
    }

    @Test
    void developmentTokenVerifiesAgainstTheServedJwks() throws Exception {
        String token = clerk.token("user_local_dev", "http://localhost:3000", Duration.ofMinutes(5));
        HttpsJwks jwks = new HttpsJwks("http://127.0.0.1:" + clerkPort + "/.well-known/jwks.json");
        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(jwks))
                .setExpectedIssuer(clerk.issuer())
                .setRequireExpirationTime()
                .build().processToClaims(token);
        assertEquals("user_local_dev", claims.getSubject());
        assertEquals("http://localhost:3000", claims.getClaimValueAsString("azp"));
    }

    private int listen(Router router) throws Exception {
        return vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture()
                .get().actualPort();
    }
}
