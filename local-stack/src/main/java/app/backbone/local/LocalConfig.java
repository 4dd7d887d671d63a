package app.backbone.local;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the local stack keeps its data and which ports its stand-ins take. */
@ConfigMapping(prefix = "local")
public interface LocalConfig {

    /** Folder for the database, the caught mails and the development signing key ({@code LOCAL_DATA_DIR}). */
    @WithDefault(".local")
    Path dataDir();

    /**
     * Address the stand-ins and the caught-mail page listen on ({@code LOCAL_BIND_HOST}): this machine only by default;
     * {@code 0.0.0.0} in the stand-ins image, where other containers call them.
     */
    @WithDefault("127.0.0.1")
    String bindHost();

    /** Issuer of the Clerk-like stand-in's tokens; {@code http://localhost:<clerk port>} when not set. */
    Optional<String> clerkIssuer();

    /** Management port of the gateway (health, metrics), passed to it as MANAGEMENT_PORT. */
    @WithDefault("9080")
    int gatewayManagementPort();

    /** Management port of the contact-service. */
    @WithDefault("9081")
    int contactManagementPort();

    /** Management port of the payment-service. */
    @WithDefault("9082")
    int paymentManagementPort();

    /** Management port of the webhook-service. */
    @WithDefault("9083")
    int webhookManagementPort();

    /** Port of the embedded PostgreSQL. */
    @WithDefault("54329")
    int postgresPort();

    /** Port of the SMTP catcher. */
    @WithDefault("1025")
    int smtpPort();

    /** Port of the Stripe-like API and its checkout pages. */
    @WithDefault("12111")
    int stripePort();

    /** Port of the Paystack-like API and its payment pages. */
    @WithDefault("12112")
    int paystackPort();

    /** Port of the Clerk-like issuer that serves the development JWKS. */
    @WithDefault("9999")
    int clerkPort();

    /** Port of the gateway, the set's one public door. */
    @WithDefault("8080")
    int gatewayPort();

    /** Port of the contact-service. */
    @WithDefault("8081")
    int contactPort();

    /** Port of the payment-service. */
    @WithDefault("8082")
    int paymentPort();

    /** Port of the webhook-service. */
    @WithDefault("8083")
    int webhookPort();

    /** Where the stand-ins deliver signed webhooks; the gateway, as the real providers would, when not set. */
    Optional<String> webhookBaseUrl();

    default String webhookTarget() {
        return webhookBaseUrl().orElse("http://localhost:" + gatewayPort());
    }

    /** Secret the Stripe-like stand-in signs webhooks with (webhook-service's STRIPE_WEBHOOK_SECRET). */
    @WithDefault("whsec_local_development_secret")
    String stripeWebhookSecret();

    /**
     * On JDK 25 and later, start each service with its AOT cache (in the data folder), trained by the first run of a
     * build and written when the service stops. Ignored before JDK 25.
     */
    @WithDefault("true")
    boolean aotCache();

    /** Secret key of the Paystack-like stand-in; it signs webhooks with it, as Paystack does. */
    @WithDefault("sk_test_local_paystack")
    String paystackSecretKey();
}
