package app.backbone.gateway.support;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;

import org.eclipse.microprofile.config.ConfigProvider;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** Clerk-shaped session tokens signed in the test (smallrye-jwt-build) with the keys the test resource made. */
public final class Tokens {

    private Tokens() {
    }

    public static PrivateKey key(String which) {
        return TestKeys.decode(ConfigProvider.getConfig().getValue("test.keys." + which, String.class));
    }

    /** Claims as Clerk issues them: issuer, subject, azp, iat, nbf, exp five minutes ahead. */
    public static JwtClaimsBuilder clerkClaims(String userId) {
        long now = Instant.now().getEpochSecond();
        return Jwt.issuer(GatewayBackendsResource.ISSUER)
                .subject(userId)
                .claim("azp", GatewayBackendsResource.AUTHORIZED_PARTY)
                .claim("sid", "sess_test")
                .issuedAt(now)
                .claim("nbf", now)
                .expiresAt(now + 300);
    }

    public static String sign(JwtClaimsBuilder claims, String kid, PrivateKey key) {
        return claims.jws().keyId(kid).algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256).sign(key);
    }

    public static String valid(String userId) {
        return sign(clerkClaims(userId), TestKeys.PRIMARY_KID, key("primary"));
    }

    public static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
