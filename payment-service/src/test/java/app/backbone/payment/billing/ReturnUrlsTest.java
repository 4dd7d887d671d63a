package app.backbone.payment.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import app.backbone.payment.config.PaymentConfig;

/** The billing portal's default return URL, chosen (and checked) when the service starts. */
class ReturnUrlsTest {

    private static final String SUCCESS = "https://app.example.com/subscribed?session_id={CHECKOUT_SESSION_ID}";

    private static ReturnUrls returnUrls(String successUrl, String portalReturnUrl) {
        return new ReturnUrls(new PaymentConfig.Subscriptions() {
            @Override
            public String successUrl() {
                return successUrl;
            }

            @Override
            public String cancelUrl() {
                return "https://app.example.com/plans";
            }

            @Override
            public Optional<String> portalReturnUrl() {
                return Optional.ofNullable(portalReturnUrl);
            }

            @Override
            public List<String> redirectOrigins() {
                return List.of("https://app.example.com");
            }

            @Override
            public Duration sameCheckoutWindow() {
                return Duration.ofSeconds(60);
            }

            @Override
            public int maxTrialDays() {
                return 30;
            }
        });
    }

    @Test
    void unsetPortalReturnIsTheAppsHomeNotTheCheckoutSuccessUrl() {
        assertEquals("https://app.example.com/", returnUrls(SUCCESS, null).portalReturn(null));
        assertEquals("http://localhost:3000/", returnUrls("http://localhost:3000/payment/success", null)
                .portalReturn(null));
    }

    @Test
    void configuredPortalReturnIsUsedAsGiven() {
        assertEquals("https://app.example.com/billing",
                returnUrls(SUCCESS, "https://app.example.com/billing").portalReturn(null));
    }

    @Test
    void configuredPortalReturnWithAPlaceholderStopsTheStart() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> returnUrls(SUCCESS, "https://app.example.com/billing?session_id={CHECKOUT_SESSION_ID}"));
        assertTrue(refused.getMessage().startsWith("BILLING_PORTAL_RETURN_URL"), refused.getMessage());
        assertTrue(refused.getMessage().contains("{CHECKOUT_SESSION_ID}"), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> returnUrls(SUCCESS, "https://app.example.com/{id}/billing"));
    }
}
