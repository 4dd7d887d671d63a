package app.backbone.payment.customers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The user's Stripe customer (Stripe's JSON) and whether this call created it. The customer may be the object
 * {@link CustomerCache} hands to every caller: read it, never change it.
 */
public record CustomerResult(JsonNode customer, boolean created) {
}
