package app.backbone.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import app.backbone.local.clerk.DevClerk;
import app.backbone.local.mail.MailCatcher;
import app.backbone.local.processes.ServiceProcess;
import app.backbone.local.providers.PaystackStandIn;
import app.backbone.local.providers.StripeStandIn;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.vertx.mutiny.core.Vertx;
import io.vertx.ext.web.Router;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Starts the whole set on one machine with no account anywhere: an embedded PostgreSQL, an SMTP catcher, Stripe-,
 * Paystack- and Clerk-like stand-ins, and the four services. A real variable in the environment
 * ({@code DATABASE_URL}, {@code SMTP_HOST}, {@code STRIPE_SECRET_KEY}, {@code PAYSTACK_SECRET_KEY},
 * {@code CLERK_ISSUER}) switches that part to the real thing. Ctrl-C stops everything; data stays in the data folder.
 */
@QuarkusMain
public class LocalStack implements QuarkusApplication {

    @Inject
    LocalConfig config;
    /** The local stack's own page, the caught mails. */
    @ConfigProperty(name = "quarkus.http.port")
    int mailPort;
    @Inject
    Vertx vertx;
    @Inject
    StripeStandIn stripe;
    @Inject
    PaystackStandIn paystack;

    private final List<AutoCloseable> running = new ArrayList<>();

    @Override
    public int run(String... args) throws Exception {
        Path data = config.dataDir().toAbsolutePath();
        if (Arrays.asList(args).contains("--reset")) {
            deleteRecursively(data);
            Log.infof("Local data in %s removed", data);
        }
        Files.createDirectories(data);
        // Ctrl-C ends the JVM through shutdown hooks: stop the services and the database there, newest first.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "local-stack-stop"));
        Map<String, String> env = new LinkedHashMap<>();
        if (Arrays.asList(args).contains("--stand-ins")) {
            // Only what the compose stack cannot reach here: the SMTP catcher, the provider and Clerk stand-ins.
            try {
                startMail(data, env);
                startProviders(env);
                startClerk(data, env);
                Log.infof("Stand-ins ready on %s: SMTP %d, mail page and API %d (/api/mails), Stripe %d, Paystack %d,"
                        + " Clerk %d", config.bindHost(), config.smtpPort(), mailPort, config.stripePort(),
                        config.paystackPort(), config.clerkPort());
                Quarkus.waitForExit();
            } finally {
                stopAll();
            }
            return 0;
        }
        try {
            startDatabase(data, env);
            startMail(data, env);
            startProviders(env);
            DevClerk clerk = startClerk(data, env);
            env.putIfAbsent("ADMIN_EMAIL", "owner@shop.local");
            String mailPage = "http://localhost:" + mailPort;
            env.putIfAbsent("CORS_ORIGINS", "http://localhost:3000,http://localhost:5173," + mailPage);
            env.putIfAbsent("CONTACT_SERVICE_URL", "http://localhost:" + config.contactPort());
            env.putIfAbsent("PAYMENT_SERVICE_URL", "http://localhost:" + config.paymentPort());
            env.putIfAbsent("WEBHOOK_SERVICE_URL", "http://localhost:" + config.webhookPort());
            env.putIfAbsent("PAYMENT_SUCCESS_URL", mailPage + "/paid");
            env.putIfAbsent("PAYMENT_CANCEL_URL", mailPage + "/paid");
            env.putIfAbsent("SUBSCRIPTION_SUCCESS_URL", mailPage + "/subscribed?session_id={CHECKOUT_SESSION_ID}");
            env.putIfAbsent("SUBSCRIPTION_CANCEL_URL", mailPage + "/subscribed");
            env.putIfAbsent("BILLING_PORTAL_RETURN_URL", mailPage + "/");
            startServices(data, env);
            printWelcome(clerk);
            Quarkus.waitForExit();
        } finally {
            stopAll();
        }
        return 0;
    }

    private void startDatabase(Path data, Map<String, String> env) throws IOException, SQLException {
        if (System.getenv("DATABASE_URL") != null) {
            Log.info("Using the database in DATABASE_URL");
            return;
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setPort(config.postgresPort())
                // The embedded server's defaults trade durability for speed; local data must survive a crash, and a
                // 201 must mean the row is on disk, as with a real server.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .start();
        running.add(postgres);
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + config.postgresPort() + "/postgres", "postgres", "postgres");
                Statement statement = connection.createStatement()) {
            ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'backbone'");
            if (!exists.next()) {
                statement.execute("CREATE DATABASE backbone");
            }
        }
        env.put("DATABASE_URL", "postgresql://postgres:postgres@localhost:" + config.postgresPort() + "/backbone");
        Log.infof("PostgreSQL on port %d, data in %s", config.postgresPort(), data.resolve("postgres"));
    }

    private void startMail(Path data, Map<String, String> env) throws IOException {
        if (System.getenv("SMTP_HOST") != null) {
            Log.info("Sending mail through the SMTP server in SMTP_HOST");
            return;
        }
        running.add(new MailCatcher(config.bindHost(), config.smtpPort(), data.resolve("mail")));
        env.put("SMTP_HOST", "localhost");
        env.put("SMTP_PORT", String.valueOf(config.smtpPort()));
        env.putIfAbsent("SMTP_FROM", "Local Shop <shop@shop.local>");
    }

    private void startProviders(Map<String, String> env) {
        if (System.getenv("STRIPE_SECRET_KEY") == null) {
            String base = "http://localhost:" + config.stripePort();
            listen(stripe.router(vertx.getDelegate(), base), config.stripePort());
            env.put("STRIPE_SECRET_KEY", "sk_test_local");
            env.put("STRIPE_API_BASE", base);
            env.put("STRIPE_WEBHOOK_SECRET", config.stripeWebhookSecret());
        }
        if (System.getenv("PAYSTACK_SECRET_KEY") == null) {
            String base = "http://localhost:" + config.paystackPort();
            listen(paystack.router(vertx.getDelegate(), base), config.paystackPort());
            env.put("PAYSTACK_SECRET_KEY", config.paystackSecretKey());
            env.put("PAYSTACK_API_BASE", base);
        }
    }

    private DevClerk startClerk(Path data, Map<String, String> env) {
        if (System.getenv("CLERK_ISSUER") != null) {
            return null;
        }
        DevClerk clerk = DevClerk.load(data.resolve("clerk-dev-key.pem"),
                config.clerkIssuer().orElse("http://localhost:" + config.clerkPort()));
        listen(clerk.router(vertx.getDelegate()), config.clerkPort());
        env.put("CLERK_ISSUER", clerk.issuer());
        env.put("CLERK_JWKS_URL", clerk.jwksUrl());
        env.putIfAbsent("CLERK_AUTHORIZED_PARTIES", "http://localhost:3000,http://localhost:5173");
        return clerk;
    }

    private void startServices(Path data, Map<String, String> env) throws IOException, InterruptedException {
        Path project = Path.of("").toAbsolutePath();
        // contact-service first: its start applies the migrations the others then find in place.
        Map<String, int[]> services = new LinkedHashMap<>();
        services.put("contact-service", new int[] { config.contactPort(), config.contactManagementPort() });
        services.put("payment-service", new int[] { config.paymentPort(), config.paymentManagementPort() });
        services.put("webhook-service", new int[] { config.webhookPort(), config.webhookManagementPort() });
        services.put("gateway", new int[] { config.gatewayPort(), config.gatewayManagementPort() });
        for (Map.Entry<String, int[]> service : services.entrySet()) {
            ServiceProcess process = ServiceProcess.start(project, service.getKey(), service.getValue()[0],
                    service.getValue()[1], env, data.resolve("logs"), config.aotCache() ? data.resolve("aot") : null);
            running.add(process);
            process.awaitReady(Duration.ofSeconds(90));
            Log.infof("%s ready on http://localhost:%d (log: %s)%s", process.name(), process.port(), process.log(),
                    process.trainingAotCache() ? "; this run trains its AOT cache, written when it stops" : "");
        }
    }

    private void listen(Router router, int port) {
        vertx.getDelegate().createHttpServer().requestHandler(router).listen(port, config.bindHost())
                .toCompletionStage().toCompletableFuture().join();
    }

    private void printWelcome(DevClerk clerk) {
        String token = clerk == null ? "<a Clerk session token>"
                : clerk.token("user_local_dev", "http://localhost:3000", Duration.ofHours(24));
        System.out.println("""

                ==================================================================================================
                 The whole set is running. Gateway: %2$s   Caught mail: %3$s
                ==================================================================================================
                 A development token for user_local_dev (valid 24 h):

                 export TOKEN=%1$s

                 curl -s -X POST %2$s/api/contact -H 'Content-Type: application/json' \\
                      -d '{"name":"Ada","email":"ada@example.com","message":"Hello"}'
                 curl -s -X POST %2$s/api/payment/initiate -H 'Content-Type: application/json' \\
                      -d '{"email":"ada@example.com","amount":1500}'     # open data.authorizationUrl, press Pay
                 curl -s %2$s/api/payment/verify/<reference>
                 curl -s %2$s/stripe/products -H "Authorization: Bearer $TOKEN"
                 curl -s -X POST %2$s/stripe/customer -H "Authorization: Bearer $TOKEN" \\
                      -H 'Content-Type: application/json' -d '{"email":"ada@example.com"}'
                 curl -s -X POST %2$s/stripe/checkout -H "Authorization: Bearer $TOKEN" \\
                      -H 'Content-Type: application/json' -d '{"priceId":"price_local_basic_monthly"}'
                                                          # open data.url, press Subscribe
                 curl -s %2$s/stripe/subscriptions -H "Authorization: Bearer $TOKEN"

                 Logs: %4$s   Stop: Ctrl-C
                ==================================================================================================
                """.formatted(token, "http://localhost:" + config.gatewayPort(), "http://localhost:" + mailPort,
                        config.dataDir().toAbsolutePath().resolve("logs")));
    }

    private synchronized void stopAll() {
        running.stream().filter(ServiceProcess.class::isInstance).map(ServiceProcess.class::cast)
                .forEach(ServiceProcess::requestStop);
        List<AutoCloseable> reversed = new ArrayList<>(running);
        java.util.Collections.reverse(reversed);
        for (AutoCloseable closeable : reversed) {
            try {
                closeable.close();
            } catch (Exception e) {
                Log.warnf("Stopping %s failed: %s", closeable, e.getMessage());
            }
        }
        running.clear();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
