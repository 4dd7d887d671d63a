package app.backbone.webhook.paystack;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of a Paystack event the service reads.
 *
 * @param key the deduplication key: {@code event:data.id} (Paystack events have no id of their own)
 */
public record PaystackEvent(String event, String key, JsonNode data) {
}
