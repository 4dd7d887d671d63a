package app.backbone.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import app.backbone.local.clerk.DevClerk;
import app.backbone.testing.HeadlessBrowser;
import io.vertx.core.json.JsonObject;

/**
 * The README's walkthrough against the packaged local stack, started as {@code ./run-local} starts it: the four
 * service jars, the embedded PostgreSQL, the SMTP catcher and the provider and Clerk stand-ins, on free ports. A
 * contact's mails are caught, a payment paid on each provider's local page is applied by its signed webhook, the
 * printed token opens the catalogue, and a subscription is started, changed and cancelled.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class WalkthroughIT {

    private static final Pattern TOKEN = Pattern.compile("export TOKEN=(\\S+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Process stack;
    private static Path data;
    private static Path log;
    private static String gateway;
    private static int postgresPort;
    private static String token;
    private static String mailPage;
    private static String clerkIssuer;

    @BeforeAll
    static void startTheStack() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path work = Files.createTempDirectory("backbone-local");
        data = work.resolve("data");
        log = work.resolve("stack.log");
        int[] ports = freePorts(14);
        postgresPort = ports[0];
        gateway = "http://localhost:" + ports[5];
        mailPage = "http://localhost:" + ports[9];
        clerkIssuer = "http://localhost:" + ports[4];
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlocal.data-dir=" + data,
                "-Dlocal.postgres-port=" + ports[0],
                "-Dlocal.smtp-port=" + ports[1],
                "-Dlocal.stripe-port=" + ports[2],
                "-Dlocal.paystack-port=" + ports[3],
                "-Dlocal.clerk-port=" + ports[4],
                "-Dlocal.gateway-port=" + ports[5],
                "-Dlocal.contact-port=" + ports[6],
                "-Dlocal.payment-port=" + ports[7],
                "-Dlocal.webhook-port=" + ports[8],
                "-Dquarkus.http.port=" + ports[9],
                "-Dlocal.gateway-management-port=" + ports[10],
                "-Dlocal.contact-management-port=" + ports[11],
                "-Dlocal.payment-management-port=" + ports[12],
                "-Dlocal.webhook-management-port=" + ports[13],
                // The AOT cache (JDK 25+) would make stopping the stack write four caches; measured in bench/ instead.
                "-Dlocal.aot-cache=false",
                "-jar", root.resolve("local-stack/target/quarkus-app/quarkus-run.jar").toString(),
                "--reset"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // The stand-ins are used only where the real thing is not named.
        Stream.of("DATABASE_URL", "SMTP_HOST", "STRIPE_SECRET_KEY", "PAYSTACK_SECRET_KEY", "CLERK_ISSUER", "REDIS_URL")
                .forEach(builder.environment()::remove);
        stack = builder.start();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!stack.isAlive()) {
                fail("The local stack stopped before it was ready:\n" + Files.readString(log));
            }
            Matcher matcher = TOKEN.matcher(Files.readString(log));
            if (matcher.find()) {
                token = matcher.group(1);
                return true;
            }
            return false;
        });
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        if (stack != null) {
            stack.destroy();
            if (!stack.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                stack.destroyForcibly();
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void contactIsStoredAndBothMailsAreCaught() throws Exception {
        HttpResponse<String> response = post("/api/contact", null,
                "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"message\":\"Hello from the walkthrough\"}");

        assertEquals(201, response.statusCode(), response.body());
        String id = new JsonObject(response.body()).getJsonObject("data").getString("id");
        assertEquals(1, count("SELECT count(*) FROM contacts WHERE id = '" + id + "'"));
        // The confirmation greets the sender and repeats none of the message (the contact form is not a mail relay).
        await().atMost(Duration.ofSeconds(30)).until(() -> caughtMails().stream()
                .filter(m -> m.contains("\nTo: ada@example.com") && m.contains("Hello Ada,")
                        && !m.contains("Hello from the walkthrough")).count() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> caughtMails().stream()
                .filter(m -> m.contains("\nTo: owner@shop.local") && m.contains("Reply-To: ada@example.com")
                        && m.contains("Hello from the walkthrough")).count() == 1);
        // The page a person reads lists each mail once, however often it is refreshed.
        stays(() -> assertEquals(1, pageRowsTo("ada@example.com"),
                "the confirmation is listed once on the caught-mail page"));
        assertEquals(1, caughtMails().stream().filter(m -> m.contains("\nTo: ada@example.com")).count(),
                "one confirmation among the caught mails (the notification names ada only as Reply-To)");
    }

    @Test
    void stripePaymentPaidOnTheLocalPageIsAppliedByItsWebhook() throws Exception {
        payOnTheLocalPage("stripe", "bo@example.com", 1500, "checkout.session.completed");
        stays(() -> assertEquals(1, pageRowsTo("bo@example.com"),
                "the receipt is listed once on the caught-mail page"));
    }

    /**
     * As the README's walkthrough does, the payer is the contact's sender: the receipt lands in a mailbox that already
     * holds a mail, which the catcher once mistook for the notification again (and never showed the receipt).
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void paystackPaymentPaidOnTheLocalPageIsAppliedByItsWebhook() throws Exception {
        payOnTheLocalPage("paystack", "ada@example.com", 700, "charge.success");
        await().atMost(Duration.ofSeconds(10)).until(() -> pageRowsTo("ada@example.com") == 2);
        stays(() -> assertEquals(2, pageRowsTo("ada@example.com"),
                "the confirmation and the receipt, each listed once"));
        assertEquals(1, pageRowsTo("owner@shop.local"), "the owner's notification, listed once");
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void printedTokenOpensTheCatalogueAndMakesOneCustomer() throws Exception {
        HttpResponse<String> products = get("/stripe/products", token);
        assertEquals(200, products.statusCode(), products.body());
        assertTrue(new JsonObject(products.body()).getJsonArray("data").size() > 0, products.body());
        assertEquals(401, get("/stripe/products", null).statusCode());

        HttpResponse<String> first = post("/stripe/customer", token, "{\"email\":\"dev@example.com\"}");
        HttpResponse<String> second = post("/stripe/customer", token, "{\"email\":\"dev@example.com\"}");

        assertEquals(201, first.statusCode(), first.body());
        assertEquals(200, second.statusCode(), second.body());
        assertEquals(new JsonObject(first.body()).getJsonObject("data").getString("id"),
                new JsonObject(second.body()).getJsonObject("data").getString("id"));
        assertEquals(1, count("SELECT count(*) FROM stripe_customer_mapping WHERE clerk_user_id = 'user_local_dev'"));
    }

    /**
     * The README's subscription walkthrough: subscribe on the local checkout page, see it active, change the plan,
     * read the invoice and the card, open the portal, and cancel; another user is refused every one of them.
     */
    @Test
    @org.junit.jupiter.api.Order(4)
    void subscribeChangePlanAndCancelThroughTheGateway() throws Exception {
        HttpResponse<String> started = post("/stripe/checkout", token,
                "{\"priceId\":\"price_local_basic_monthly\"}", "walkthrough-subscribe-1");
        assertEquals(201, started.statusCode(), started.body());
        JsonObject checkout = new JsonObject(started.body()).getJsonObject("data");
        String sessionId = checkout.getString("sessionId");
        HttpResponse<String> again = post("/stripe/checkout", token, "{\"priceId\":\"price_local_basic_monthly\"}",
                "walkthrough-subscribe-1");
        assertEquals(sessionId, new JsonObject(again.body()).getJsonObject("data").getString("sessionId"),
                "the same Idempotency-Key answers the same session");

        URI page = URI.create(checkout.getString("url"));
        HttpResponse<String> shown = HTTP.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, shown.statusCode());
        assertTrue(shown.body().contains("id=\"subscribe\""), shown.body());
        Matcher subscribe = Pattern.compile("action=\"([^\"]+/pay)\"").matcher(shown.body());
        assertTrue(subscribe.find(), shown.body());
        HttpResponse<String> subscribed = HTTP.send(HttpRequest.newBuilder(page.resolve(subscribe.group(1)))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, subscribed.statusCode(), subscribed.body());
        assertTrue(subscribed.headers().firstValue("location").orElse("").endsWith("/subscribed?session_id=" + sessionId));

        JsonObject subscription = awaitSubscription(s -> "active".equals(s.getString("status")));
        String id = subscription.getString("id");
        assertEquals("price_local_basic_monthly", subscription.getString("priceId"));
        // The three signed events the local "Subscribe" sent, each applied once by webhook-service.
        assertEquals(3, count("SELECT count(*) FROM webhook_events WHERE provider = 'stripe' AND event_type IN"
                + " ('checkout.session.completed', 'customer.subscription.created', 'invoice.payment_succeeded')"
                + " AND processed_at IS NOT NULL AND payload::text LIKE '%" + id + "%'"));

        HttpResponse<String> changed = post("/stripe/subscriptions/" + id + "/update", token,
                "{\"priceId\":\"price_local_pro_monthly\"}", null);
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals("price_local_pro_monthly", new JsonObject(changed.body()).getJsonObject("data").getString("priceId"));
        awaitSubscription(s -> "price_local_pro_monthly".equals(s.getString("priceId")));

        HttpResponse<String> invoices = get("/stripe/invoices", token);
        assertEquals(200, invoices.statusCode(), invoices.body());
        JsonObject invoice = new JsonObject(invoices.body()).getJsonArray("data").getJsonObject(0);
        assertEquals("paid", invoice.getString("status"));
        assertEquals(id, invoice.getString("subscriptionId"));
        assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(invoice.getString("hostedInvoiceUrl"))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(200, get("/stripe/invoices/" + invoice.getString("id"), token).statusCode());
        HttpResponse<String> cards = get("/stripe/payment-methods", token);
        JsonObject card = new JsonObject(cards.body()).getJsonArray("data").getJsonObject(0);
        assertEquals("4242", card.getString("last4"));
        assertEquals(Boolean.TRUE, card.getBoolean("default"));
        HttpResponse<String> portal = post("/stripe/portal", token, "{}", null);
        assertEquals(201, portal.statusCode(), portal.body());
        HttpResponse<String> portalPage = HTTP.send(HttpRequest.newBuilder(URI.create(new JsonObject(portal.body())
                .getJsonObject("data").getString("url"))).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(portalPage.body().contains("Pro plan") && portalPage.body().contains("id=\"cancel-now\""),
                portalPage.body());

        // Another user learns nothing of this subscription or its invoice, and changes nothing.
        String other = DevClerk.load(data.resolve("clerk-dev-key.pem"), clerkIssuer)
                .token("user_walkthrough_other", "http://localhost:3000", Duration.ofMinutes(5));
        assertEquals(404, post("/stripe/subscriptions/" + id + "/cancel", other, "{\"atPeriodEnd\":false}", null)
                .statusCode());
        assertEquals(404, post("/stripe/subscriptions/" + id + "/update", other,
                "{\"priceId\":\"price_local_basic_monthly\"}", null).statusCode());
        assertEquals(404, get("/stripe/invoices/" + invoice.getString("id"), other).statusCode());
        assertEquals(0, new JsonObject(get("/stripe/invoices", other).body()).getInteger("count"));
        assertEquals(0, new JsonObject(get("/stripe/subscriptions", other).body()).getInteger("count"));
        assertEquals("price_local_pro_monthly", awaitSubscription(s -> true).getString("priceId"));

        HttpResponse<String> ending = post("/stripe/subscriptions/" + id + "/cancel", token, "{\"atPeriodEnd\":true}",
                null);
        assertEquals(200, ending.statusCode(), ending.body());
        assertEquals(Boolean.TRUE, new JsonObject(ending.body()).getJsonObject("data").getBoolean("cancelAtPeriodEnd"));
        awaitSubscription(s -> "active".equals(s.getString("status")) && s.getBoolean("cancelAtPeriodEnd"));

        HttpResponse<String> cancelled = post("/stripe/subscriptions/" + id + "/cancel", token,
                "{\"atPeriodEnd\":false}", null);
        assertEquals(200, cancelled.statusCode(), cancelled.body());
        assertEquals("canceled", new JsonObject(cancelled.body()).getJsonObject("data").getString("status"));
        awaitSubscription(s -> "canceled".equals(s.getString("status")));
        assertEquals(409, post("/stripe/subscriptions/" + id + "/cancel", token, "{\"atPeriodEnd\":false}", null)
                .statusCode(), "an ended subscription cannot be cancelled again");
    }

    /**
     * The same lifecycle as a person clicks it, in a real headless Chromium: the app (here the test) asks for a
     * checkout session and a portal session through the gateway, the browser presses "Subscribe" on the checkout page,
     * then "Change plan" and "Cancel now" in the portal, and the subscription follows through the signed webhooks.
     */
    @Test
    @org.junit.jupiter.api.Order(5)
    void subscribeChangePlanAndCancelByClickingInABrowser() throws Exception {
        HeadlessBrowser browser = HeadlessBrowser.require(Path.of("src", "test", "browser"));
        String user = DevClerk.load(data.resolve("clerk-dev-key.pem"), clerkIssuer)
                .token("user_walkthrough_browser", "http://localhost:3000", Duration.ofMinutes(10));

        HttpResponse<String> started = post("/stripe/checkout", user, "{\"priceId\":\"price_local_basic_monthly\"}",
                "browser-subscribe-1");
        assertEquals(201, started.statusCode(), started.body());
        JsonObject checkout = new JsonObject(started.body()).getJsonObject("data");
        JsonObject subscribed = click(browser, checkout.getString("url"), "#subscribe");
        assertTrue(subscribed.getString("url").contains("session_id=" + checkout.getString("sessionId")),
                subscribed.encode());
        JsonObject subscription = awaitSubscription(user, s -> "active".equals(s.getString("status")));
        assertEquals("price_local_basic_monthly", subscription.getString("priceId"));
        String id = subscription.getString("id");

        click(browser, portalUrl(user), "#change-plan", "#new-plan", "price_local_pro_monthly");
        awaitSubscription(user, s -> "price_local_pro_monthly".equals(s.getString("priceId")));
        assertEquals(1, count("SELECT count(*) FROM webhook_events WHERE provider = 'stripe'"
                + " AND event_type = 'customer.subscription.updated' AND payload::text LIKE '%" + id + "%'"));

        click(browser, portalUrl(user), "#cancel-now");
        JsonObject ended = awaitSubscription(user, s -> "canceled".equals(s.getString("status")));
        assertEquals(id, ended.getString("id"));
        assertEquals(1, count("SELECT count(*) FROM subscriptions WHERE id = '" + id
                + "' AND status = 'canceled'"));
    }

    private static String portalUrl(String bearer) throws IOException, InterruptedException {
        HttpResponse<String> portal = post("/stripe/portal", bearer, "{}", null);
        assertEquals(201, portal.statusCode(), portal.body());
        return new JsonObject(portal.body()).getJsonObject("data").getString("url");
    }

    /** Opens {@code page}, optionally picks an option, clicks {@code button}; the page the click led to. */
    private static JsonObject click(HeadlessBrowser browser, String page, String button, String... choice)
            throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of(page, button));
        arguments.addAll(List.of(choice));
        HeadlessBrowser.Run run = browser.script("click.mjs", arguments, 120);
        assertEquals(0, run.exitCode(), run.output());
        JsonObject result = new JsonObject(run.lastJsonLine());
        assertEquals(Boolean.TRUE, result.getBoolean("ok"), result.encode());
        return result;
    }

    /** The dev user's one subscription, once GET /stripe/subscriptions shows it as {@code wanted}. */
    private static JsonObject awaitSubscription(java.util.function.Predicate<JsonObject> wanted) {
        return awaitSubscription(token, wanted);
    }

    /** The user's one subscription, once GET /stripe/subscriptions shows it as {@code wanted}. */
    private static JsonObject awaitSubscription(String bearer, java.util.function.Predicate<JsonObject> wanted) {
        JsonObject[] found = new JsonObject[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            HttpResponse<String> list = get("/stripe/subscriptions", bearer);
            io.vertx.core.json.JsonArray subscriptions = new JsonObject(list.body()).getJsonArray("data");
            if (list.statusCode() != 200 || subscriptions.size() != 1 || !wanted.test(subscriptions.getJsonObject(0))) {
                return false;
            }
            found[0] = subscriptions.getJsonObject(0);
            return true;
        });
        return found[0];
    }

    private void payOnTheLocalPage(String provider, String email, int amount, String eventType) throws Exception {
        HttpResponse<String> initiated = post("/api/payment/initiate", null,
                "{\"email\":\"" + email + "\",\"amount\":" + amount + ",\"provider\":\"" + provider + "\"}");
        assertEquals(201, initiated.statusCode(), initiated.body());
        JsonObject payment = new JsonObject(initiated.body()).getJsonObject("data");
        String reference = payment.getString("reference");
        URI page = URI.create(payment.getString("authorizationUrl"));

        HttpResponse<String> checkout = HTTP.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, checkout.statusCode());
        Matcher pay = Pattern.compile("action=\"([^\"]+/pay)\"").matcher(checkout.body());
        assertTrue(pay.find(), checkout.body());
        HttpResponse<String> paid = HTTP.send(HttpRequest.newBuilder(page.resolve(pay.group(1)))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, paid.statusCode(), paid.body());
        assertTrue(paid.headers().firstValue("location").orElse("").contains("reference=" + reference));

        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM webhook_events WHERE provider = '"
                + provider + "' AND event_type = '" + eventType + "' AND processed_at IS NOT NULL AND payload::text LIKE '%"
                + reference + "%'") == 1);
        assertEquals(1, count("SELECT count(*) FROM payments WHERE reference = '" + reference
                + "' AND status = 'success' AND paid_at IS NOT NULL"));
        HttpResponse<String> verified = get("/api/payment/verify/" + reference, null);
        assertEquals(200, verified.statusCode(), verified.body());
        assertEquals("success", new JsonObject(verified.body()).getJsonObject("data").getString("status"));
        await().atMost(Duration.ofSeconds(30)).until(() -> caughtMails().stream()
                .filter(m -> m.contains("\nTo: " + email) && m.contains(reference)).count() == 1);
    }

    /** Rows of the caught-mail page (what a person reads) addressed to exactly {@code address}. */
    /** The assertion holds now and for the next 1.5 s of refreshes: nothing is listed twice a moment later. */
    private static void stays(ThrowingRunnable assertion) {
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10)).untilAsserted(assertion);
    }

    private static long pageRowsTo(String address) throws IOException, InterruptedException {
        String page = HTTP.send(HttpRequest.newBuilder(URI.create(mailPage + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Pattern.compile(Pattern.quote("<td>" + address + "</td>")).matcher(page).results().count();
    }

    private static HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(20));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String bearer, String json) throws IOException, InterruptedException {
        return post(path, bearer, json, null);
    }

    private static HttpResponse<String> post(String path, String bearer, String json, String idempotencyKey)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every caught mail, as the local stack's mail API lists it (each once, oldest first). */
    private static List<String> caughtMails() throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(mailPage + "/api/mails")).build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> mails = new ArrayList<>();
        new JsonObject(response.body()).getJsonArray("mails")
                .forEach(mail -> mails.add(((JsonObject) mail).getString("raw", "")));
        return mails;
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + postgresPort + "/backbone", "postgres", "postgres");
                ResultSet result = connection.createStatement().executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
