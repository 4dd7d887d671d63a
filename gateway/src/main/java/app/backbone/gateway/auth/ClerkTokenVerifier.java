package app.backbone.gateway.auth;

import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;

import app.backbone.common.auth.ClerkClaimRules;
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
 *
 * <p>An RS256 check costs far more than the rest of a request, and a client sends the same session token many times,
 * so verified tokens are remembered by their exact string (up to {@code gateway.jwt.verified-token-cache-size}). A
 * remembered token is still refused once past {@code exp} (or before {@code nbf}), and once the key that signed it is
 * no longer one of Clerk's keys; it is dropped from memory when it expires.
 */
@ApplicationScoped
public class ClerkTokenVerifier {

    private final ClerkSigningKeys keys;
    private final Optional<String> issuer;
    private final ClerkClaimRules claimRules;
    private final int clockSkewSeconds;
    private final RouteTable routes;
    private final Cache<String, VerifiedToken> verified;

    /** A token whose signature and claims were checked, and what it was checked with. */
    record VerifiedToken(String userId, String kid, PublicKey key, long notBeforeSeconds, long expiresSeconds) {
    }

    public ClerkTokenVerifier(ClerkSigningKeys keys, GatewayConfig config, RouteTable routes) {
        this.keys = keys;
        this.issuer = config.jwt().issuer().filter(s -> !s.isBlank()).map(String::trim);
        this.claimRules = new ClerkClaimRules(config.jwt().authorizedParties().orElse(List.of()),
                config.jwt().audiences().orElse(List.of()));
        this.clockSkewSeconds = (int) config.jwt().clockSkew().toSeconds();
        this.routes = routes;
        long cacheSize = config.jwt().verifiedTokenCacheSize();
        this.verified = cacheSize <= 0 ? null : Caffeine.newBuilder()
                .maximumSize(cacheSize)
                .expireAfter(new UntilExpiry(clockSkewSeconds))
                .build();
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
        if (!claimRules.checksAuthorizedParty()) {
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
        VerifiedToken known = verified == null ? null : verified.getIfPresent(token);
        if (known != null) {
            if (withinLifetime(known)) {
                return recheckKey(token, known);
            }
            verified.invalidate(token);
        }
        return verifyFully(token);
    }

    /** A remembered token passes while the key that signed it is still the key Clerk publishes under its key id. */
    private Future<Optional<String>> recheckKey(String token, VerifiedToken known) {
        return keys.keyFor(known.kid()).transform(ar -> {
            if (ar.succeeded() && (ar.result() == known.key() || ar.result().equals(known.key()))) {
                return Future.succeededFuture(Optional.of(known.userId()));
            }
            verified.invalidate(token);
            return ar.failed() ? Future.failedFuture(ar.cause()) : verifyFully(token);
        });
    }

    private boolean withinLifetime(VerifiedToken token) {
        long now = System.currentTimeMillis() / 1000;
        return now < token.expiresSeconds() + clockSkewSeconds && now >= token.notBeforeSeconds() - clockSkewSeconds;
    }

    private Future<Optional<String>> verifyFully(String token) {
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
        String kid = jws.getKeyIdHeaderValue();
        return keys.keyFor(kid).map(key -> {
            VerifiedToken checked = verify(token, kid, key);
            if (verified != null) {
                verified.put(token, checked);
            }
            return Optional.of(checked.userId());
        });
    }

    private VerifiedToken verify(String token, String kid, PublicKey key) {
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
        try {
            String refusal = claimRules.refusal(claims.getSubject(), claims.getClaimValue("azp"),
                    claims.getClaimValue("sid"), claims.hasAudience() ? claims.getAudience() : List.of());
            if (refusal != null) {
                throw new TokenRejectedException(refusal);
            }
            long notBefore = claims.getNotBefore() == null ? Long.MIN_VALUE / 2 : claims.getNotBefore().getValue();
            return new VerifiedToken(claims.getSubject(), kid, key, notBefore, claims.getExpirationTime().getValue());
        } catch (TokenRejectedException e) {
            throw e;
        } catch (Exception e) {
            throw new TokenRejectedException("token claims are malformed");
        }
    }

    /** Keeps a verified token in memory until it expires (plus the clock skew), not longer. */
    private record UntilExpiry(long clockSkewSeconds) implements Expiry<String, VerifiedToken> {

        @Override
        public long expireAfterCreate(String token, VerifiedToken value, long currentTime) {
            long seconds = value.expiresSeconds() + clockSkewSeconds - System.currentTimeMillis() / 1000;
            return Duration.ofSeconds(Math.max(seconds, 0)).toNanos();
        }

        @Override
        public long expireAfterUpdate(String token, VerifiedToken value, long currentTime, long currentDuration) {
            return expireAfterCreate(token, value, currentTime);
        }

        @Override
        public long expireAfterRead(String token, VerifiedToken value, long currentTime, long currentDuration) {
            return currentDuration;
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
