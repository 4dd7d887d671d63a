package app.backbone.payment.subscriptions;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * {@code POST /stripe/subscriptions/{id}/update}: the plan (a catalogue price) and seats; {@code prorationBehavior} is
 * Stripe's: {@code always_invoice} (the default: an upgrade is charged at once) or {@code create_prorations} (the
 * difference goes on the next invoice). Stripe's {@code none} is not offered: it would let a client upgrade for free
 * until the renewal.
 */
public record UpdateRequest(
        @NotBlank(message = "is required")
        @Pattern(regexp = "[A-Za-z0-9_]{1,255}", message = "must be a Stripe price id") String priceId,
        @DecimalMin(value = "1", message = "must be a whole number from 1 to " + SubscriptionPrices.MAX_QUANTITY)
        @DecimalMax(value = "" + SubscriptionPrices.MAX_QUANTITY,
                message = "must be a whole number from 1 to " + SubscriptionPrices.MAX_QUANTITY)
        @Digits(integer = 6, fraction = 0, message = "must be a whole number from 1 to " + SubscriptionPrices.MAX_QUANTITY)
        BigDecimal quantity,
        @Pattern(regexp = "always_invoice|create_prorations",
                message = "must be always_invoice or create_prorations") String prorationBehavior) {
}
