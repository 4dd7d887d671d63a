package app.backbone.payment.subscriptions;

import jakarta.validation.constraints.NotNull;

/** {@code POST /stripe/subscriptions/{id}/cancel}: {@code true} ends it when the paid period ends, {@code false} now. */
public record CancelRequest(@NotNull(message = "is required: true ends it at the end of the period, false now")
        Boolean atPeriodEnd) {
}
