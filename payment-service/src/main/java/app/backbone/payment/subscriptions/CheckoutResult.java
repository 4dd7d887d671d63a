package app.backbone.payment.subscriptions;

/** The answer of {@code POST /stripe/checkout}: Stripe's hosted checkout page and its session id. */
public record CheckoutResult(String url, String sessionId) {
}
