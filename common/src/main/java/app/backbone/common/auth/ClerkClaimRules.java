package app.backbone.common.auth;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The checks of a Clerk token's claims beyond signature, issuer and lifetime, as strict as Clerk's own, in one place
 * for the gateway and payment-service:
 * <ul>
 * <li>{@code sub} names the user;</li>
 * <li>with authorized parties configured ({@code CLERK_AUTHORIZED_PARTIES}), {@code azp} must be there and be one of
 * them: a token without it could have been asked for from anywhere;</li>
 * <li>a session token (Clerk's default) carries {@code sid} and no {@code aud}; a JWT-template token carries an
 * {@code aud}, accepted only when it names one of the configured audiences ({@code CLERK_AUDIENCES}). A token with
 * neither is neither, and is refused.</li>
 * </ul>
 */
public final class ClerkClaimRules {

    private final Set<String> authorizedParties;
    private final Set<String> audiences;

    public ClerkClaimRules(Collection<String> authorizedParties, Collection<String> audiences) {
        this.authorizedParties = clean(authorizedParties);
        this.audiences = clean(audiences);
    }

    public boolean checksAuthorizedParty() {
        return !authorizedParties.isEmpty();
    }

    /**
     * Why the token is refused, for the log (never shown to the client), or null when it passes.
     *
     * @param audience the {@code aud} values (empty when the token has none)
     */
    public String refusal(String subject, Object authorizedParty, Object sessionId, Collection<String> audience) {
        if (subject == null || subject.isBlank()) {
            return "token names no user (sub)";
        }
        if (!authorizedParties.isEmpty()) {
            if (authorizedParty == null || String.valueOf(authorizedParty).isBlank()) {
                return "token has no azp while authorized parties are configured";
            }
            if (!authorizedParties.contains(String.valueOf(authorizedParty))) {
                return "azp is not an authorized party";
            }
        }
        if (audience != null && !audience.isEmpty()) {
            if (audience.stream().noneMatch(audiences::contains)) {
                return audiences.isEmpty() ? "token has an aud but no audience is configured (a JWT-template token)"
                        : "aud names none of the configured audiences";
            }
            return null;
        }
        if (sessionId == null || String.valueOf(sessionId).isBlank()) {
            return "token is neither a session token (sid) nor for a configured audience (aud)";
        }
        return null;
    }

    private static Set<String> clean(Collection<String> values) {
        return Set.copyOf((values == null ? List.<String> of() : values).stream()
                .map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
}
