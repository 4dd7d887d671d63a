package app.backbone.webhook.auth;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * Clerk session tokens. The key, issuer and clock skew are smallrye-jwt's {@code mp.jwt.verify.*} settings, fed from
 * {@code CLERK_JWKS_URL}, {@code CLERK_JWT_KEY} and {@code CLERK_ISSUER} in application.properties.
 */
@ConfigMapping(prefix = "clerk")
public interface ClerkConfig {

    /** The Clerk instance that issues the tokens ({@code CLERK_ISSUER}); {@code iss} must equal it. */
    String issuer();

    /** Origins a token's {@code azp} may name ({@code CLERK_AUTHORIZED_PARTIES}); empty = any. */
    Optional<List<String>> authorizedParties();
}
