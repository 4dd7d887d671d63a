package app.backbone.payment;

import java.security.PrivateKey;

import app.backbone.testing.ClerkTokens;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** {@link ClerkTokens} for the Clerk stand-in of {@link ProviderStandIns}: its issuer, key id and key. */
public final class Tokens {

    /** An origin on {@code payment.clerk.authorized-parties}. */
    public static final String AUTHORIZED_PARTY = "https://shop.test";

    private Tokens() {
    }

    /** A valid token for {@code userId}, issued to an authorized party. */
    public static String forUser(String userId) {
        return sign(claims(userId), ProviderStandIns.keys().getPrivate());
    }

    public static JwtClaimsBuilder claims(String userId) {
        return ClerkTokens.claims(ProviderStandIns.ISSUER, userId, AUTHORIZED_PARTY);
    }

    public static String sign(JwtClaimsBuilder claims, PrivateKey key) {
        return ClerkTokens.sign(claims, ProviderStandIns.KEY_ID, key);
    }

    public static String bearer(String token) {
        return ClerkTokens.bearer(token);
    }
}
