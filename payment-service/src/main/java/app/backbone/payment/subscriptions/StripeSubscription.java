package app.backbone.payment.subscriptions;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A subscription as Stripe answered a change of it: what {@code cancel} and {@code update} return. The stored row
 * ({@code GET /stripe/subscriptions}) follows when Stripe's webhook arrives.
 */
public record StripeSubscription(String id, String status, String customerId, String priceId, Long quantity,
        boolean cancelAtPeriodEnd, OffsetDateTime cancelAt, OffsetDateTime canceledAt,
        OffsetDateTime currentPeriodStart, OffsetDateTime currentPeriodEnd, OffsetDateTime trialEnd) {

    static StripeSubscription from(JsonNode sub) {
        JsonNode item = sub.path("items").path("data").path(0);
        // The current period moved from the subscription to its items in API version 2025-03-31.
        return new StripeSubscription(text(sub.path("id")), text(sub.path("status")), id(sub.path("customer")),
                id(item.path("price")), item.path("quantity").canConvertToLong() ? item.path("quantity").asLong() : null,
                sub.path("cancel_at_period_end").asBoolean(false), time(sub.path("cancel_at")),
                time(sub.path("canceled_at")), timeOf(sub, item, "current_period_start"),
                timeOf(sub, item, "current_period_end"), time(sub.path("trial_end")));
    }

    /** The id of a field that Stripe sends as an id or, expanded, as an object. */
    static String id(JsonNode node) {
        return node.isObject() ? text(node.path("id")) : text(node);
    }

    static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    static OffsetDateTime time(JsonNode epochSeconds) {
        return epochSeconds.canConvertToLong()
                ? OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds.asLong()), ZoneOffset.UTC) : null;
    }

    private static OffsetDateTime timeOf(JsonNode sub, JsonNode item, String field) {
        OffsetDateTime onItem = time(item.path(field));
        return onItem != null ? onItem : time(sub.path(field));
    }
}
