package app.backbone.contact;

/**
 * The CAPTCHA services a site can put on its contact form. All three verify a token the same way: a form POST of
 * {@code secret} and {@code response} to their {@code siteverify} endpoint, answered {@code {"success": true|false}}.
 */
public enum CaptchaProvider {
    NONE(null),
    TURNSTILE("https://challenges.cloudflare.com/turnstile/v0/siteverify"),
    HCAPTCHA("https://api.hcaptcha.com/siteverify"),
    RECAPTCHA("https://www.google.com/recaptcha/api/siteverify");

    private final String verifyUrl;

    CaptchaProvider(String verifyUrl) {
        this.verifyUrl = verifyUrl;
    }

    String verifyUrl() {
        return verifyUrl;
    }
}
