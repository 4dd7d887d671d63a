package app.backbone.data.outbox;

import java.util.UUID;

import io.vertx.core.json.JsonObject;

/** A row claimed by a dispatcher, with the attempt number it is on. */
public record OutboxEntry(UUID id, String to, String replyTo, String subject, String template, JsonObject model,
        int attempts) {
}
