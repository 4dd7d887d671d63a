package app.backbone.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the webhook receiver. */
@ConfigMapping(prefix = "webhook")
public interface WebhookConfig {

    Stripe stripe();

    Paystack paystack();

    Mail mail();

    /** Proxies whose {@code X-Forwarded-For} is believed ({@code TRUSTED_PROXIES}: IPs or CIDRs); empty = none. */
    Optional<List<String>> trustedProxies();

    /** How long processed events are kept before the retention job deletes them ({@code WEBHOOK_RETENTION}). */
    @WithDefault("90d")
    Duration retention();

    /** How often the retention job runs ({@code WEBHOOK_RETENTION_INTERVAL}); its schedule reads it. */
    @WithDefault("1h")
    String retentionInterval();

    interface Stripe {

        /** Endpoint signing secrets ({@code STRIPE_WEBHOOK_SECRET}); several, comma-separated, during rotation. */
        List<String> webhookSecrets();

        /** How old a signed timestamp may be before the delivery is refused as a replay. */
        @WithDefault("300s")
        Duration tolerance();
    }

    interface Mail {

        /**
         * The app's billing page ({@code BILLING_PAGE_URL}, an absolute http(s) URL), linked from the "please update
         * your card" and trial-ending mails (typically a page that opens Stripe's billing portal); empty = no link.
         */
        Optional<URI> billingPageUrl();
    }

    interface Paystack {

        /** The secret key Paystack signs webhooks with ({@code PAYSTACK_SECRET_KEY}). */
        String secretKey();

        /** Source addresses Paystack delivers from ({@code PAYSTACK_ALLOWED_IPS}: IPs or CIDRs); empty = any. */
        Optional<List<String>> allowedIps();
    }
}
