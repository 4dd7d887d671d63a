package app.backbone.payment.providers;

/** A checkout the provider opened: its id (Stripe session id, Paystack access code) and where to send the payer. */
public record ProviderCheckout(String providerRef, String authorizationUrl) {
}
