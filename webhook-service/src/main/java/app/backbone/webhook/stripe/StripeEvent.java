package app.backbone.webhook.stripe;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of a Stripe event the service reads. {@code object} is {@code data.object} as a JSON tree, so events of
 * any API version are read the same way.
 *
 * @param created Stripe's {@code created}: when the event happened, the clock that orders events
 */
public record StripeEvent(String id, String type, OffsetDateTime created, JsonNode object) {
}
