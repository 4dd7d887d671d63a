package app.backbone.payment.billing;

/** The answer of {@code POST /stripe/portal}: Stripe's hosted billing portal for the caller. */
public record PortalSession(String url) {
}
