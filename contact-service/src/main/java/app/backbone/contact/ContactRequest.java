package app.backbone.contact;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonAlias;

/**
 * A contact form submission. {@code website} is a honeypot: people never see the field, so a value in it means a
 * bot filled the form. {@code captchaToken} is the CAPTCHA widget's token, under its own name or the widget's form
 * field name, when a CAPTCHA is configured.
 */
public record ContactRequest(
        @NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters")
        @Pattern(regexp = "[^\\r\\n]*", message = "must be on one line") String name,
        @NotBlank(message = "is required") @Size(max = 255, message = "must be at most 255 characters")
        @Email(regexp = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+", message = "must be a well-formed email address") String email,
        @NotBlank(message = "is required") @Size(max = 5000, message = "must be at most 5000 characters") String message,
        @JsonAlias({"_gotcha", "honeypot"}) String website,
        @JsonAlias({"cf-turnstile-response", "h-captcha-response", "g-recaptcha-response"})
        @Size(max = 4096, message = "must be at most 4096 characters") String captchaToken) {

    boolean isFromBot() {
        return website != null && !website.isBlank();
    }
}
