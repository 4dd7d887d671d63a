package app.backbone.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a provider is told: {@code {"received":true}}, or {@code {"received":true,"duplicate":true}} for an event seen
 * before. The one answer not wrapped in {@code success/data} (the README's "The envelope"): providers only read the status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookAck(boolean received, Boolean duplicate) {

    public static WebhookAck applied() {
        return new WebhookAck(true, null);
    }

    public static WebhookAck duplicateDelivery() {
        return new WebhookAck(true, true);
    }
}
