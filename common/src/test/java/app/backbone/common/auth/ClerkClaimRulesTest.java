package app.backbone.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClerkClaimRulesTest {

    private final ClerkClaimRules strict = new ClerkClaimRules(List.of("https://shop.example"), List.of());
    private final ClerkClaimRules open = new ClerkClaimRules(List.of(), List.of());

    @Test
    void sessionTokenFromAnAuthorizedPartyPasses() {
        assertNull(strict.refusal("user_1", "https://shop.example", "sess_1", List.of()));
    }

    @Test
    void tokenWithoutAzpIsRefusedOnceAuthorizedPartiesAreConfigured() {
        assertEquals("token has no azp while authorized parties are configured",
                strict.refusal("user_1", null, "sess_1", List.of()));
        assertNull(open.refusal("user_1", null, "sess_1", List.of()));
    }

    @Test
    void foreignAzpIsRefused() {
        assertEquals("azp is not an authorized party", strict.refusal("user_1", "https://evil.example", "sess_1",
                List.of()));
    }

    @Test
    void tokenWithoutSidOrAudIsRefused() {
        assertEquals("token is neither a session token (sid) nor for a configured audience (aud)",
                open.refusal("user_1", null, null, List.of()));
    }

    @Test
    void templateTokenPassesOnlyForAConfiguredAudience() {
        ClerkClaimRules withAudience = new ClerkClaimRules(List.of(), List.of("backbone-api"));
        assertNull(withAudience.refusal("user_1", null, null, List.of("backbone-api")));
        assertEquals("aud names none of the configured audiences",
                withAudience.refusal("user_1", null, null, List.of("another-api")));
        assertEquals("token has an aud but no audience is configured (a JWT-template token)",
                open.refusal("user_1", null, "sess_1", List.of("backbone-api")));
    }

    @Test
    void tokenWithoutSubjectIsRefused() {
        assertEquals("token names no user (sub)", open.refusal(" ", null, "sess_1", List.of()));
    }
}
