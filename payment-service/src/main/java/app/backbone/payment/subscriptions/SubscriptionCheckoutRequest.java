package app.backbone.payment.subscriptions;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /stripe/checkout}: a catalogue price to subscribe to, seats, where Stripe sends the user back (on one of
 * the app's origins; the configured defaults otherwise) and an optional trial. Whole numbers are taken as decimals so
 * {@code 1.5} seats is refused, never rounded.
 */
public record SubscriptionCheckoutRequest(
        @NotBlank(message = "is required")
        @Pattern(regexp = "[A-Za-z0-9_]{1,255}", message = "must be a Stripe price id") String priceId,
        @DecimalMin(value = "1", message = "must be a whole number from 1 to " + SubscriptionPrices.MAX_QUANTITY)
        @DecimalMax(value = "" + SubscriptionPrices.MAX_QUANTITY,
                message = "must be a whole number from 1 to " + SubscriptionPrices.MAX_QUANTITY)
        @Digits(integer = 6, fraction = 0, message = "must be a whole number from 1 to " + SubscriptionPrices.MAX_QUANTITY)
        BigDecimal quantity,
        @Size(max = 2048, message = "must be at most 2048 characters") String successUrl,
        @Size(max = 2048, message = "must be at most 2048 characters") String cancelUrl,
        @DecimalMin(value = "1", message = "must be a whole number of days from 1 to 730")
        @DecimalMax(value = "730", message = "must be a whole number of days from 1 to 730")
        @Digits(integer = 3, fraction = 0, message = "must be a whole number of days from 1 to 730")
        BigDecimal trialDays) {
}
