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

import io.vertx.core.json.JsonObject;

/**
 * The README's walkthrough against the packaged local stack, started as {@code ./run-local} starts it: the four
 * service jars, the embedded PostgreSQL, the SMTP catcher and the provider and Clerk stand-ins, on free ports. A
 * contact's mails are caught, a payment paid on each provider's local page is applied by its signed webhook, and the
 * printed token opens the catalogue.
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
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
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
