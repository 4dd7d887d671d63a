package app.backbone.webhook.events;

/**
 * A delivery whose signature checked out, keyed for deduplication.
 *
 * @param provider {@code stripe} or {@code paystack}
 * @param eventId the provider's event id (Stripe) or {@code event:data.id} (Paystack, which has no event id)
 * @param payload the raw body as received, stored as jsonb for inspection
 */
public record VerifiedEvent(String provider, String eventId, String type, String payload) {
}
