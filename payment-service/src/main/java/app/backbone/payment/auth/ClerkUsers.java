package app.backbone.payment.auth;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Who is calling, from the Clerk token the service verifies itself (never from a bare header). Authentication is lazy
 * (proactive auth is off), so asking here is what runs it; a bad token fails with 401.
 */
@ApplicationScoped
public class ClerkUsers {

    private final CurrentIdentityAssociation identities;

    public ClerkUsers(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    /** The user, or empty for a request without a token; a request with a bad token fails. */
    public Uni<Optional<ClerkUser>> optional() {
        return identities.getDeferredIdentity().map(ClerkUsers::toUser);
    }

    /** The user; a request without a valid token fails with 401. */
    public Uni<ClerkUser> required() {
        return optional().map(user -> user.orElseThrow(() -> new UnauthorizedException("A Clerk token is required")));
    }

    private static Optional<ClerkUser> toUser(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Optional.empty();
        }
        Object email = jwt.getClaim("email");
        return Optional.of(new ClerkUser(jwt.getSubject(), email instanceof String s && !s.isBlank() ? s : null));
    }
}
