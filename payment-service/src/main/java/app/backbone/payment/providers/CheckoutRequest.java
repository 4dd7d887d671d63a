package app.backbone.payment.providers;

import java.util.Map;

/**
 * What a provider needs to open a checkout for one payment.
 *
 * @param minorAmount the amount in the currency's minor units
 * @param stripeCustomerId the payer's Stripe customer, when the payer is a known user (Stripe only)
 */
public record CheckoutRequest(String reference, String email, long minorAmount, String currency,
        Map<String, Object> metadata, String stripeCustomerId, String successUrl, String cancelUrl) {
}
