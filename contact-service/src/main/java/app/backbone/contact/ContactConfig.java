package app.backbone.contact;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the contact form. */
@ConfigMapping(prefix = "contact")
public interface ContactConfig {

    /** Who is told about every new message ({@code ADMIN_EMAIL}). */
    String adminEmail();

    /**
     * How many confirmations one address gets in 24 hours ({@code CONTACT_CONFIRMATIONS_PER_DAY}); past it the
     * message is still stored and the owner told, but the sender gets no further confirmation. {@code 0} sends none.
     */
    @WithDefault("3")
    int confirmationsPerDay();

    Captcha captcha();

    /** Optional bot protection: a CAPTCHA token verified with its provider before anything is stored. */
    interface Captcha {
        /** {@code none}, {@code turnstile} (Cloudflare), {@code hcaptcha} or {@code recaptcha} ({@code CONTACT_CAPTCHA_PROVIDER}). */
        @WithDefault("none")
        CaptchaProvider provider();

        /** The provider's secret key ({@code CONTACT_CAPTCHA_SECRET}); required unless the provider is {@code none}. */
        Optional<String> secret();

        /** The verify endpoint, when not the provider's own ({@code CONTACT_CAPTCHA_VERIFY_URL}: a stand-in, a proxy). */
        Optional<String> verifyUrl();

        /** How long the provider may take to answer before the submission is answered 503. */
        @WithDefault("5s")
        Duration timeout();
    }
}
