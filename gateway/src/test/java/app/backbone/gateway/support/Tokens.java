package app.backbone.gateway.support;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Base64;

import org.eclipse.microprofile.config.ConfigProvider;

import app.backbone.testing.ClerkTokens;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** {@link ClerkTokens} for the gateway's Clerk stand-in: its issuer, its authorized party and the keys it was given. */
public final class Tokens {

    private Tokens() {
    }

    /** One of the keys the test resource made ({@code primary}, {@code rotated}, {@code foreign}). */
    public static PrivateKey key(String which) {
        return TestKeys.decode(ConfigProvider.getConfig().getValue("test.keys." + which, String.class));
    }

    public static JwtClaimsBuilder clerkClaims(String userId) {
        return ClerkTokens.claims(GatewayBackendsResource.ISSUER, userId, GatewayBackendsResource.AUTHORIZED_PARTY);
    }

    /** A token the gateway accepts: Clerk's claims, signed with the primary key the JWKS serves. */
    public static String valid(String userId) {
        return ClerkTokens.sign(clerkClaims(userId), TestKeys.PRIMARY_KID, key("primary"));
    }

    public static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
