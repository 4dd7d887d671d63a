package app.backbone.payment;

import java.security.PrivateKey;
import java.time.Instant;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** Clerk-shaped session tokens signed in the test (RS256, kid of the stand-in JWKS). */
public final class Tokens {

    private Tokens() {
    }

    /** A valid token for {@code userId}, issued to an authorized party. */
    public static String forUser(String userId) {
        return sign(claims(userId).claim("azp", "https://shop.test"), ProviderStandIns.keys().getPrivate());
    }

    public static JwtClaimsBuilder claims(String userId) {
        long now = Instant.now().getEpochSecond();
        return Jwt.issuer(ProviderStandIns.ISSUER)
                .subject(userId)
                .issuedAt(now)
                .expiresAt(now + 300)
                .claim("sid", "sess_" + userId);
    }

    public static String sign(JwtClaimsBuilder claims, PrivateKey key) {
        return claims.jws().keyId(ProviderStandIns.KEY_ID).algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256)
                .sign(key);
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
