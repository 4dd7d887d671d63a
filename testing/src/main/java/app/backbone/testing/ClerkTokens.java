package app.backbone.testing;

import java.security.PrivateKey;
import java.time.Instant;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Session tokens shaped as Clerk issues them, signed in the test (smallrye-jwt-build, RS256) with a key pair of
 * {@link Jwks}. The module that signs needs smallrye-jwt-build on its test classpath ({@code quarkus-smallrye-jwt-build}).
 */
public final class ClerkTokens {

    private ClerkTokens() {
    }

    /**
     * Claims as Clerk issues them: {@code iss}, {@code sub}, {@code azp}, {@code sid}, {@code iat}, {@code nbf} and
     * {@code exp} five minutes ahead. A test that checks a refusal changes or removes one of them.
     */
    public static JwtClaimsBuilder claims(String issuer, String userId, String authorizedParty) {
        long now = Instant.now().getEpochSecond();
        return Jwt.issuer(issuer)
                .subject(userId)
                .claim("azp", authorizedParty)
                .claim("sid", "sess_" + userId)
                .issuedAt(now)
                .claim("nbf", now)
                .expiresAt(now + 300);
    }

    /** Signs the claims with RS256 under key id {@code kid}. */
    public static String sign(JwtClaimsBuilder claims, String kid, PrivateKey key) {
        return claims.jws().keyId(kid).algorithm(SignatureAlgorithm.RS256).sign(key);
    }

    /** The {@code Authorization} header value that carries the token. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
