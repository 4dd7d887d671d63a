package app.backbone.payment.customers;

import java.util.Map;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /stripe/customer}: every field optional; metadata is a map of strings, as Stripe takes it, within Stripe's
 * limits (50 keys including our {@code clerk_user_id}, keys of 40 characters, values of 500) and without the brackets
 * its form encoding would read as nesting.
 */
public record CustomerRequest(
        @Size(max = 255, message = "must be at most 255 characters")
        @Email(regexp = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+", message = "must be a well-formed email address") String email,
        @Size(max = 256, message = "must be at most 256 characters") String name,
        @Size(max = 49, message = "must have at most 49 keys")
        Map<@Pattern(regexp = "[^\\[\\]]{1,40}", message = "keys must be 1 to 40 characters without [ or ]") String,
            @Size(max = 500, message = "values must be at most 500 characters") String> metadata) {
}
