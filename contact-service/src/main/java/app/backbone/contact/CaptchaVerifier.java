package app.backbone.contact;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;

/**
 * Checks the contact form's CAPTCHA token with the configured provider, server-side, before anything is stored. A
 * missing or refused token is the sender's 400; a provider that cannot answer is a 503 (nothing stored, retry).
 */
@ApplicationScoped
public class CaptchaVerifier {

    private final CaptchaProvider provider;
    private final String secret;
    private final SiteVerifyApi api;
    private final ContactConfig.Captcha config;

    public CaptchaVerifier(ContactConfig contact) {
        this.config = contact.captcha();
        this.provider = config.provider();
        if (provider == CaptchaProvider.NONE) {
            this.secret = null;
            this.api = null;
            return;
        }
        this.secret = config.secret().filter(s -> !s.isBlank()).orElseThrow(() -> new IllegalStateException(
                "CONTACT_CAPTCHA_SECRET is required when CONTACT_CAPTCHA_PROVIDER is " + provider));
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.verifyUrl().filter(s -> !s.isBlank()).orElse(provider.verifyUrl())))
                .connectTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(SiteVerifyApi.class);
    }

    /** Completes when the token passes (or no CAPTCHA is configured); fails with the answer to give otherwise. */
    public Uni<Void> check(String token) {
        if (provider == CaptchaProvider.NONE) {
            return Uni.createFrom().voidItem();
        }
        if (token == null || token.isBlank()) {
            return Uni.createFrom().failure(ApiException.validation("captchaToken", "is required"));
        }
        return api.verify(secret, token)
                .ifNoItem().after(config.timeout().multipliedBy(2)).fail()
                .onFailure().transform(e -> {
                    Log.warnf("The %s CAPTCHA check could not be made: %s", provider, e.getClass().getSimpleName());
                    return new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                            "The CAPTCHA check could not be made; try again shortly");
                })
                .flatMap(answer -> answer.path("success").asBoolean(false)
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(ApiException.validation("captchaToken",
                                "was not accepted by the CAPTCHA check")));
    }
}
