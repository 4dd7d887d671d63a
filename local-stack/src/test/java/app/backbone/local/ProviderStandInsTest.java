package app.backbone.local;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
import com.stripe.model.Invoice;
import com.stripe.model.PaymentMethod;
import com.stripe.model.Subscription;
import com.stripe.model.Product;
import com.stripe.model.StripeCollection;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.net.Webhook;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerPaymentMethodListParams;
import com.stripe.param.InvoiceListParams;
import com.stripe.param.SubscriptionUpdateParams;
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
import io.vertx.core.json.JsonObject;
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
    void subscriptionCheckoutSubscribedOnTheLocalPageSendsTheThreeSignedEventsInOrder() throws Exception {
        Customer customer = customer("user_sub_page");
        Session session = subscriptionCheckout(customer.getId(), "price_local_basic_monthly", 2, null);
        assertEquals("subscription", session.getMode());
        assertEquals(100000L, session.getAmountTotal());

        String checkout = "http://127.0.0.1:" + stripePort + "/checkout/" + session.getId();
        given().get(checkout).then().statusCode(200)
                .body(containsString("Basic plan"))
                .body(containsString("KES 500.00 / month"))
                .body(containsString("id=\"subscribe\""));
        given().redirects().follow(false).post(checkout + "/pay")
                .then().statusCode(302)
                .header("Location", "http://shop.test/subscribed?session_id=" + session.getId());

        List<Event> events = events(3);
        assertEquals(List.of("checkout.session.completed", "customer.subscription.created", "invoice.payment_succeeded"),
                events.stream().map(Event::getType).toList());
        events.forEach(e -> assertTrue(e.getCreated() > 0, "every event has its created time"));
        JsonObject completed = object(0);
        JsonObject subscription = object(1);
        JsonObject invoice = object(2);
        String subscriptionId = subscription.getString("id");
        assertEquals(subscriptionId, completed.getString("subscription"));
        assertEquals("complete", completed.getString("status"));
        assertEquals("paid", completed.getString("payment_status"));
        assertEquals(customer.getId(), subscription.getString("customer"));
        assertEquals("active", subscription.getString("status"));
        assertEquals("user_of_" + customer.getId(), subscription.getJsonObject("metadata").getString("clerk_user_id"));
        JsonObject item = subscription.getJsonObject("items").getJsonArray("data").getJsonObject(0);
        assertEquals("price_local_basic_monthly", item.getJsonObject("price").getString("id"));
        assertEquals(2L, item.getLong("quantity"));
        assertTrue(item.getLong("current_period_end") > Instant.now().plusSeconds(27 * 86400).getEpochSecond());
        assertEquals(subscriptionId, invoice.getJsonObject("parent").getJsonObject("subscription_details")
                .getString("subscription"));
        assertEquals(100000L, invoice.getLong("amount_paid"));
        assertEquals("price_local_basic_monthly", invoice.getJsonObject("lines").getJsonArray("data").getJsonObject(0)
                .getJsonObject("pricing").getJsonObject("price_details").getString("price"));

        // What the payment-service routes then read through stripe-java.
        Subscription retrieved = stripeClient().v1().subscriptions().retrieve(subscriptionId);
        assertEquals("active", retrieved.getStatus());
        StripeCollection<Invoice> invoices = stripeClient().v1().invoices().list(InvoiceListParams.builder()
                .setCustomer(customer.getId()).build());
        assertEquals(List.of(invoice.getString("id")), invoices.getData().stream().map(Invoice::getId).toList());
        given().get(local(invoices.getData().get(0).getHostedInvoiceUrl())).then().statusCode(200)
                .body(containsString("KES 1000.00"));
        given().get(local(invoices.getData().get(0).getInvoicePdf())).then().statusCode(200)
                .contentType("application/pdf").body(startsWith("%PDF-1.4"));
        StripeCollection<PaymentMethod> cards = stripeClient().v1().customers().paymentMethods()
                .list(customer.getId(), CustomerPaymentMethodListParams.builder()
                        .setType(CustomerPaymentMethodListParams.Type.CARD).build());
        assertEquals("4242", cards.getData().get(0).getCard().getLast4());
        assertEquals(cards.getData().get(0).getId(), stripeClient().v1().customers().retrieve(customer.getId())
                .getInvoiceSettings().getDefaultPaymentMethod());
        given().redirects().follow(false).post(checkout + "/pay").then().statusCode(409);
    }

    @Test
    void subscriptionCheckoutWithATrialStartsTrialingWithAZeroInvoice() throws Exception {
        Customer customer = customer("user_sub_trial");
        Session session = subscriptionCheckout(customer.getId(), "price_local_pro_monthly", 1, 14L);

        given().redirects().follow(false).post("http://127.0.0.1:" + stripePort + "/checkout/" + session.getId() + "/pay")
                .then().statusCode(302);

        events(3);
        JsonObject subscription = object(1);
        assertEquals("trialing", subscription.getString("status"));
        assertEquals(subscription.getLong("trial_end"), subscription.getJsonObject("items").getJsonArray("data")
                .getJsonObject(0).getLong("current_period_end"));
        assertEquals(0L, object(2).getLong("amount_paid"));
        assertEquals("no_payment_required", object(0).getString("payment_status"));
    }

    @Test
    void subscriptionSessionsAreIdempotentByKey() throws Exception {
        Customer customer = customer("user_sub_key");
        RequestOptions options = RequestOptions.builder().setIdempotencyKey("subscription-checkout-1").build();
        SessionCreateParams params = subscriptionParams(customer.getId(), "price_local_basic_monthly", 1, null);
        Session first = stripeClient().v1().checkout().sessions().create(params, options);
        Session second = stripeClient().v1().checkout().sessions().create(params, options);
        assertEquals(first.getId(), second.getId());
    }

    @Test
    void subscriptionChangesThroughTheApiSendUpdatedAndDeleted() throws Exception {
        String subscriptionId = subscribed("user_sub_api", "price_local_basic_monthly");
        Subscription current = stripeClient().v1().subscriptions().retrieve(subscriptionId);

        Subscription moved = stripeClient().v1().subscriptions().update(subscriptionId, SubscriptionUpdateParams.builder()
                .addItem(SubscriptionUpdateParams.Item.builder().setId(current.getItems().getData().get(0).getId())
                        .setPrice("price_local_pro_monthly").setQuantity(3L).build())
                .setProrationBehavior(SubscriptionUpdateParams.ProrationBehavior.CREATE_PRORATIONS).build());
        assertEquals("price_local_pro_monthly", moved.getItems().getData().get(0).getPrice().getId());
        assertEquals(3L, moved.getItems().getData().get(0).getQuantity());
        assertEquals("customer.subscription.updated", events(1).get(0).getType());
        JsonObject previous = new JsonObject(WebhookReceiver.DELIVERIES.get(0).body()).getJsonObject("data")
                .getJsonObject("previous_attributes");
        assertEquals("price_local_basic_monthly", previous.getJsonObject("items").getJsonArray("data").getJsonObject(0)
                .getJsonObject("price").getString("id"));

        WebhookReceiver.DELIVERIES.clear();
        Subscription ending = stripeClient().v1().subscriptions().update(subscriptionId,
                SubscriptionUpdateParams.builder().setCancelAtPeriodEnd(true).build());
        assertTrue(ending.getCancelAtPeriodEnd());
        assertEquals("customer.subscription.updated", events(1).get(0).getType());

        WebhookReceiver.DELIVERIES.clear();
        Subscription canceled = stripeClient().v1().subscriptions().cancel(subscriptionId);
        assertEquals("canceled", canceled.getStatus());
        assertEquals("customer.subscription.deleted", events(1).get(0).getType());
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> stripeClient().v1()
                .subscriptions().update(subscriptionId, SubscriptionUpdateParams.builder().setCancelAtPeriodEnd(false)
                        .build()));
        assertEquals(400, refused.getStatusCode());
        assertEquals(404, assertThrows(InvalidRequestException.class,
                () -> stripeClient().v1().subscriptions().retrieve("sub_nope")).getStatusCode());
    }

    @Test
    void portalPageChangesThePlanAndCancelsWithSignedEvents() throws Exception {
        String subscriptionId = subscribed("user_sub_portal", "price_local_basic_monthly");
        String customerId = stripeClient().v1().subscriptions().retrieve(subscriptionId).getCustomer();
        com.stripe.model.billingportal.Session portal = stripeClient().v1().billingPortal().sessions().create(
                com.stripe.param.billingportal.SessionCreateParams.builder().setCustomer(customerId)
                        .setReturnUrl("http://shop.test/account").build());
        String page = local(portal.getUrl());
        String base = page.substring(0, page.indexOf("/portal/"));
        String action = "/portal/" + portal.getId() + "/subscriptions/" + subscriptionId;

        given().get(page).then().statusCode(200)
                .body(containsString("Basic plan"))
                .body(containsString("id=\"change-plan\""))
                .body(containsString("id=\"cancel-now\""))
                .body(containsString("href=\"http://shop.test/account\""));

        given().redirects().follow(false).formParam("price", "price_local_pro_monthly").post(base + action + "/change")
                .then().statusCode(303).header("Location", "/portal/" + portal.getId());
        Event changed = events(1).get(0);
        assertEquals("customer.subscription.updated", changed.getType());
        assertEquals("price_local_pro_monthly", object(0).getJsonObject("items").getJsonArray("data").getJsonObject(0)
                .getJsonObject("price").getString("id"));

        WebhookReceiver.DELIVERIES.clear();
        given().redirects().follow(false).formParam("when", "now").post(base + action + "/cancel")
                .then().statusCode(303);
        assertEquals("customer.subscription.deleted", events(1).get(0).getType());
        assertEquals("canceled", object(0).getString("status"));
        given().get(page).then().statusCode(200).body(containsString("canceled"))
                .body(org.hamcrest.Matchers.not(containsString("id=\"cancel-now\"")));

        // Another customer's subscription cannot be reached through this portal session.
        String others = subscribed("user_sub_portal_other", "price_local_basic_monthly");
        given().redirects().follow(false).formParam("when", "now")
                .post(base + "/portal/" + portal.getId() + "/subscriptions/" + others + "/cancel")
                .then().statusCode(404);
        assertEquals("active", stripeClient().v1().subscriptions().retrieve(others).getStatus());
    }

    /** The stand-in's URL on the port it listens on here (it was told port 0). */
    private static String local(String url) {
        return url.replace("http://127.0.0.1:0", "http://127.0.0.1:" + stripePort);
    }

    /** A customer of the stand-in, its customer.created delivery awaited and cleared. */
    private Customer customer(String clerkUserId) throws Exception {
        Customer customer = stripeClient().v1().customers().create(CustomerCreateParams.builder()
                .setEmail(clerkUserId + "@example.com").putMetadata("clerk_user_id", clerkUserId).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> WebhookReceiver.DELIVERIES.stream()
                .anyMatch(d -> d.body().contains(customer.getId())));
        WebhookReceiver.DELIVERIES.clear();
        return customer;
    }

    /** A subscription started on the local page; its three deliveries awaited and cleared. */
    private String subscribed(String clerkUserId, String price) throws Exception {
        Session session = subscriptionCheckout(customer(clerkUserId).getId(), price, 1, null);
        given().redirects().follow(false).post("http://127.0.0.1:" + stripePort + "/checkout/" + session.getId() + "/pay")
                .then().statusCode(302);
        events(3);
        String id = object(1).getString("id");
        WebhookReceiver.DELIVERIES.clear();
        return id;
    }

    private Session subscriptionCheckout(String customerId, String price, long quantity, Long trialDays)
            throws Exception {
        return stripeClient().v1().checkout().sessions().create(subscriptionParams(customerId, price, quantity,
                trialDays));
    }

    private static SessionCreateParams subscriptionParams(String customerId, String price, long quantity,
            Long trialDays) {
        SessionCreateParams.SubscriptionData.Builder data = SessionCreateParams.SubscriptionData.builder()
                .putMetadata("clerk_user_id", "user_of_" + customerId);
        if (trialDays != null) {
            data.setTrialPeriodDays(trialDays);
        }
        return SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                .setCustomer(customerId)
                .setSuccessUrl("http://shop.test/subscribed?session_id={CHECKOUT_SESSION_ID}")
                .setCancelUrl("http://shop.test/subscribed")
                .addLineItem(SessionCreateParams.LineItem.builder().setPrice(price).setQuantity(quantity).build())
                .setSubscriptionData(data.build())
                .build();
    }

    /** The first {@code count} deliveries, each checked against the signing secret, in the order they arrived. */
    private static List<Event> events(int count) throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> WebhookReceiver.DELIVERIES.size() >= count);
        List<Event> events = new java.util.ArrayList<>();
        for (WebhookReceiver.Delivery delivery : WebhookReceiver.DELIVERIES.subList(0, count)) {
            assertEquals("/webhooks/stripe", delivery.path());
            events.add(Webhook.constructEvent(delivery.body(), delivery.header("Stripe-Signature"),
                    "whsec_local_development_secret"));
        }
        return events;
    }

    /** The object of the {@code index}th delivery, as sent. */
    private static JsonObject object(int index) {
        return new JsonObject(WebhookReceiver.DELIVERIES.get(index).body()).getJsonObject("data").getJsonObject("object");
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
