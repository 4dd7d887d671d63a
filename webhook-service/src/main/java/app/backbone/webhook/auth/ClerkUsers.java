package app.backbone.webhook.auth;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;

/**
 * The Clerk user of a token smallrye-jwt has already verified (RS256 signature, issuer, expiry): its {@code sub},
 * once the {@code azp} claim, when present, names an authorized party.
 */
@ApplicationScoped
public class ClerkUsers {

    private final List<String> authorizedParties;

    public ClerkUsers(ClerkConfig config) {
        this.authorizedParties = config.authorizedParties().orElse(List.of()).stream()
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public String userIdOf(JsonWebToken token) {
        if (token == null || token.getSubject() == null || token.getSubject().isBlank()) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, "A valid Clerk session token is required");
        }
        Object azp = token.getClaim("azp");
        if (azp != null && !authorizedParties.isEmpty() && !authorizedParties.contains(String.valueOf(azp)
                .replace("\"", ""))) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, "The token was issued for another application");
        }
        return token.getSubject();
    }
}
