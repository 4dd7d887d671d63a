package app.backbone.payment.auth;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import app.backbone.payment.config.PaymentConfig;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * What smallrye-jwt does not check for Clerk: a token's {@code azp} (the origin that asked for it), when present, must
 * be one of {@code CLERK_AUTHORIZED_PARTIES}; and a token must name its user in {@code sub}.
 */
@ApplicationScoped
public class AuthorizedPartyCheck implements SecurityIdentityAugmentor {

    private final List<String> authorizedParties;

    public AuthorizedPartyCheck(PaymentConfig config) {
        this.authorizedParties = config.clerk().authorizedParties().orElse(List.of()).stream()
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        if (jwt.getSubject() == null || jwt.getSubject().isBlank()) {
            Log.info("Token refused: no sub");
            return Uni.createFrom().failure(new AuthenticationFailedException("The token names no user"));
        }
        Object azp = jwt.getClaim("azp");
        if (azp != null && !authorizedParties.isEmpty() && !authorizedParties.contains(azp.toString())) {
            Log.infof("Token refused: azp %s is not an authorized party", azp);
            return Uni.createFrom().failure(new AuthenticationFailedException("The token was issued to another party"));
        }
        return Uni.createFrom().item(identity);
    }
}
