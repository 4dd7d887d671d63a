package app.backbone.payment.auth;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import app.backbone.common.auth.ClerkClaimRules;
import app.backbone.payment.config.PaymentConfig;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * What smallrye-jwt does not check for Clerk, by the rules the gateway applies too ({@link ClerkClaimRules}): the user
 * in {@code sub}, {@code azp} among {@code CLERK_AUTHORIZED_PARTIES}, a session token or one for a configured
 * audience.
 */
@ApplicationScoped
public class AuthorizedPartyCheck implements SecurityIdentityAugmentor {

    private final ClerkClaimRules rules;

    public AuthorizedPartyCheck(PaymentConfig config) {
        this.rules = new ClerkClaimRules(config.clerk().authorizedParties().orElse(List.of()),
                config.clerk().audiences().orElse(List.of()));
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        Set<String> audience = jwt.getAudience();
        String refusal = rules.refusal(jwt.getSubject(), jwt.getClaim("azp"), jwt.getClaim("sid"),
                audience == null ? Set.of() : audience);
        if (refusal != null) {
            Log.infof("Token refused: %s", refusal);
            return Uni.createFrom().failure(new AuthenticationFailedException("The token is not accepted here"));
        }
        return Uni.createFrom().item(identity);
    }
}
