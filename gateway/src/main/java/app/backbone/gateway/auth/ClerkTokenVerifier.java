package app.backbone.gateway.auth;

import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;

import app.backbone.gateway.GatewayConfig;
import app.backbone.gateway.GatewayConfig.AuthMode;
import app.backbone.gateway.routing.RouteTable;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;

/**
 * Checks Clerk session tokens: RS256 only, signed by one of Clerk's keys, issued by {@code CLERK_ISSUER}, within
 * {@code exp}/{@code nbf} give or take the clock skew, and with an {@code azp} from the authorized parties when it has
 * one. The answer is the verified user id ({@code sub}).
 */
@ApplicationScoped
public class ClerkTokenVerifier {

    private final ClerkSigningKeys keys;
    private final Optional<String> issuer;
    private final Set<String> authorizedParties;
    private final int clockSkewSeconds;
    private final RouteTable routes;

    public ClerkTokenVerifier(ClerkSigningKeys keys, GatewayConfig config, RouteTable routes) {
        this.keys = keys;
        this.issuer = config.jwt().issuer().filter(s -> !s.isBlank()).map(String::trim);
        this.authorizedParties = Set.copyOf(config.jwt().authorizedParties().orElse(List.of()).stream()
                .map(String::trim).filter(s -> !s.isEmpty()).toList());
        this.clockSkewSeconds = (int) config.jwt().clockSkew().toSeconds();
        this.routes = routes;
    }

    void checkConfiguration(@Observes StartupEvent event) {
        boolean anyRouteChecksTokens = routes.all().stream().anyMatch(r -> r.auth() != AuthMode.NONE);
        if (!anyRouteChecksTokens) {
            return;
        }
        StringBuilder missing = new StringBuilder();
        if (issuer.isEmpty()) {
            missing.append(" CLERK_ISSUER");
        }
        if (!keys.configured()) {
            missing.append(" CLERK_JWKS_URL-or-CLERK_JWT_KEY");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Routes check Clerk tokens but these settings are missing:" + missing);
        }
        if (authorizedParties.isEmpty()) {
            Log.warn("CLERK_AUTHORIZED_PARTIES is empty: the azp claim of Clerk tokens is not checked");
        }
        keys.warmUp();
    }

    /**
     * The user id when the route's auth mode lets the request through: empty for an anonymous request on a route
     * where a token is optional; a failed future with {@link TokenRejectedException} otherwise.
     */
    public Future<Optional<String>> authenticate(String authorizationHeader, AuthMode mode) {
        if (mode == AuthMode.NONE) {
            return Future.succeededFuture(Optional.empty());
        }
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return mode == AuthMode.OPTIONAL
                    ? Future.succeededFuture(Optional.empty())
                    : Future.failedFuture(new TokenRejectedException("no bearer token"));
        }
        String token = bearerToken(authorizationHeader);
        if (token == null) {
            return Future.failedFuture(new TokenRejectedException("authorization is not a bearer token"));
        }
        JsonWebSignature jws;
        try {
            JsonWebStructure structure = JsonWebStructure.fromCompactSerialization(token);
            if (!(structure instanceof JsonWebSignature signature)) {
                return Future.failedFuture(new TokenRejectedException("token is not a signed JWT"));
            }
            jws = signature;
        } catch (Exception e) {
            return Future.failedFuture(new TokenRejectedException("malformed token"));
        }
        if (!AlgorithmIdentifiers.RSA_USING_SHA256.equals(jws.getAlgorithmHeaderValue())) {
            return Future.failedFuture(new TokenRejectedException("token algorithm is not RS256"));
        }
        return keys.keyFor(jws.getKeyIdHeaderValue()).map(key -> Optional.of(verify(token, key)));
    }

    private String verify(String token, PublicKey key) {
        if (issuer.isEmpty()) {
            throw new TokenRejectedException("no issuer configured");
        }
        JwtClaims claims;
        try {
            claims = new JwtConsumerBuilder()
                    .setRequireExpirationTime()
                    .setRequireSubject()
                    .setAllowedClockSkewInSeconds(clockSkewSeconds)
                    .setExpectedIssuer(issuer.get())
                    .setSkipDefaultAudienceValidation()
                    .setVerificationKey(key)
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                    .build()
                    .processToClaims(token);
        } catch (InvalidJwtException e) {
            throw new TokenRejectedException(reason(e));
        }
        Object azp = claims.getClaimValue("azp");
        if (azp != null && !authorizedParties.isEmpty() && !authorizedParties.contains(String.valueOf(azp))) {
            throw new TokenRejectedException("azp is not an authorized party");
        }
        try {
            return claims.getSubject();
        } catch (Exception e) {
            throw new TokenRejectedException("token has no subject");
        }
    }

    private static String reason(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "token expired";
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.SIGNATURE_INVALID)) {
            return "signature does not verify";
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.ISSUER_INVALID)) {
            return "wrong issuer";
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.NOT_YET_VALID)) {
            return "token not yet valid";
        }
        return "token claims do not validate";
    }

    private static String bearerToken(String header) {
        String trimmed = header.trim();
        if (trimmed.length() < 7 || !trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = trimmed.substring(7).trim();
        return token.isEmpty() || token.contains(" ") ? null : token;
    }
}
