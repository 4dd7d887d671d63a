package app.backbone.webhook.stripe;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import app.backbone.webhook.WebhookConfig;

class SubscriptionMailsTest {

    private static SubscriptionMails withBillingPage(String url) {
        WebhookConfig config = new WebhookConfig() {
            @Override
            public Stripe stripe() {
                return null;
            }

            @Override
            public Paystack paystack() {
                return null;
            }

            @Override
            public Mail mail() {
                return () -> Optional.ofNullable(url).map(URI::create);
            }

            @Override
            public Optional<List<String>> trustedProxies() {
                return Optional.empty();
            }

            @Override
            public Duration retention() {
                return Duration.ofDays(90);
            }

            @Override
            public String retentionInterval() {
                return "1h";
            }
        };
        return new SubscriptionMails(() -> "Shop", config);
    }

    @Test
    void billingPageMustBeAnAbsoluteHttpLink() {
        assertDoesNotThrow(() -> withBillingPage("https://app.example.com/billing").checkConfiguration(null));
        assertDoesNotThrow(() -> withBillingPage(null).checkConfiguration(null));
        assertThrows(IllegalStateException.class, () -> withBillingPage("/billing").checkConfiguration(null));
        assertThrows(IllegalStateException.class,
                () -> withBillingPage("javascript:alert(1)").checkConfiguration(null));
    }

    @Test
    void mailsLinkOnlyToHttpUrls() {
        assertEquals("https://invoice.stripe.com/i/x", SubscriptionMails.link("https://invoice.stripe.com/i/x"));
        assertNull(SubscriptionMails.link("javascript:alert(1)"));
        assertNull(SubscriptionMails.link("not a url"));
        assertNull(SubscriptionMails.link(null));
    }

    @Test
    void onlyAddressesTheOutboxCanHoldAreMailed() {
        assertEquals("a@example.com", SubscriptionMails.address("a@example.com"));
        assertNull(SubscriptionMails.address("no-at-sign"));
        assertNull(SubscriptionMails.address("x".repeat(250) + "@example.com"));
        assertNull(SubscriptionMails.address(null));
    }
}
