package app.backbone.payment.payments;

import java.math.BigDecimal;
import java.util.Map;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/payment/initiate}. {@code amount} is in major units of the currency (the first backend's
 * contract): a whole number, so {@code 1500.50} is refused rather than silently rounded. Instead of an amount the
 * client may name a catalogue {@code priceId}: the amount and currency are then the price's, not the client's. Currency and provider fall
 * back to configuration; the allow-list and the upper bound are checked by the service, which knows the settings.
 */
public record InitiateRequest(
        @NotBlank(message = "is required") @Size(max = 255, message = "must be at most 255 characters")
        @Email(regexp = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+", message = "must be a well-formed email address") String email,
        @DecimalMin(value = "1", message = "must be a positive whole number")
        @Digits(integer = 12, fraction = 0, message = "must be a positive whole number") BigDecimal amount,
        @Pattern(regexp = "[A-Za-z]{3}", message = "must be a three-letter ISO currency code") String currency,
        @Pattern(regexp = "(?i)stripe|paystack", message = "must be stripe or paystack") String provider,
        @Size(max = 50, message = "must have at most 50 keys") Map<String, Object> metadata,
        @Size(min = 1, max = 255, message = "must be 1 to 255 characters") String priceId) {

    /** The same request priced: its amount and currency taken from a catalogue price. */
    InitiateRequest priced(BigDecimal priceAmount, String priceCurrency) {
        return new InitiateRequest(email, priceAmount, priceCurrency, provider, metadata, priceId);
    }
}
