package app.backbone.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

import app.backbone.common.config.ExpressBackendVariables;
import app.backbone.gateway.GatewayConfig;
import io.quarkus.logging.Log;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Clerk's RSA public keys: the configured PEM, or the JWKS fetched without blocking, cached, and fetched again when a
 * token names a key we do not have (at most once per {@code jwks-refetch-min-interval}, so junk tokens cannot make
 * us hammer Clerk).
 */
@ApplicationScoped
public class ClerkSigningKeys {

    private static final long FETCH_TIMEOUT_MS = 5_000;

    private final Optional<PublicKey> pemKey;
    private final Optional<String> jwksUrl;
    private final Optional<String> backendApiKey;
    private final long cacheTtlNanos;
    private final long refetchMinIntervalNanos;
    private final HttpClient client;

    private volatile Map<String, PublicKey> jwksKeys = Map.of();
    private volatile long fetchedAtNanos;
    private volatile long lastAttemptNanos;
    private volatile boolean attempted;
    private Future<Map<String, PublicKey>> inFlight;

    public ClerkSigningKeys(GatewayConfig config, Vertx vertx) {
        this.pemKey = config.jwt().publicKey().filter(s -> !s.isBlank()).map(ClerkSigningKeys::parsePem);
        Optional<String> secretKey = config.jwt().secretKey().filter(s -> !s.isBlank());
        // With only CLERK_SECRET_KEY (the subscriptions backend's setting) the keys come from Clerk's Backend API,
        // which serves the instance's JWKS to its secret key only; the Frontend API's JWKS is public.
        this.jwksUrl = config.jwt().jwksUrl().filter(s -> !s.isBlank())
                .or(() -> secretKey.map(key -> ExpressBackendVariables.BACKEND_API_JWKS));
        this.backendApiKey = secretKey.filter(key -> jwksUrl.get().startsWith("https://api.clerk.com/"));
        this.cacheTtlNanos = config.jwt().jwksCacheTtl().toNanos();
        this.refetchMinIntervalNanos = config.jwt().jwksRefetchMinInterval().toNanos();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) FETCH_TIMEOUT_MS)
                .setMaxPoolSize(2));
    }

    public boolean configured() {
        return pemKey.isPresent() || jwksUrl.isPresent();
    }

    /** Starts the first JWKS fetch so the first request does not wait for it. */
    public void warmUp() {
        if (pemKey.isEmpty() && jwksUrl.isPresent()) {
            synchronized (this) {
                refresh();
            }
        }
    }

    /** The key that signed a token with this key id, or a failed future with {@link TokenRejectedException}. */
    public Future<PublicKey> keyFor(String kid) {
        if (pemKey.isPresent()) {
            return Future.succeededFuture(pemKey.get());
        }
        if (jwksUrl.isEmpty()) {
            return Future.failedFuture(new TokenRejectedException("no Clerk key configured"));
        }
        long now = System.nanoTime();
        Map<String, PublicKey> keys = jwksKeys;
        boolean fresh = attempted && now - fetchedAtNanos < cacheTtlNanos && !keys.isEmpty();
        PublicKey known = pick(keys, kid);
        if (known != null && fresh) {
            return Future.succeededFuture(known);
        }
        Future<Map<String, PublicKey>> fetch;
        synchronized (this) {
            boolean mayRefetch = !attempted || inFlight != null || now - lastAttemptNanos >= refetchMinIntervalNanos;
            if (!mayRefetch) {
                return known != null ? Future.succeededFuture(known) : unknownKey();
            }
            fetch = refresh();
        }
        // A failed refresh leaves the keys we had in place: a Clerk outage must not lock everyone out.
        return fetch.transform(ar -> {
            PublicKey key = pick(ar.succeeded() ? ar.result() : jwksKeys, kid);
            return key != null ? Future.succeededFuture(key) : unknownKey();
        });
    }

    private static Future<PublicKey> unknownKey() {
        return Future.failedFuture(new TokenRejectedException("token signed by an unknown key"));
    }

    private static PublicKey pick(Map<String, PublicKey> keys, String kid) {
        if (kid != null) {
            return keys.get(kid);
        }
        return keys.size() == 1 ? keys.values().iterator().next() : null;
    }

    // Callers hold the monitor; concurrent callers share one fetch.
    private Future<Map<String, PublicKey>> refresh() {
        if (inFlight != null) {
            return inFlight;
        }
        attempted = true;
        lastAttemptNanos = System.nanoTime();
        Promise<Map<String, PublicKey>> promise = Promise.promise();
        inFlight = promise.future();
        fetchJwks().onComplete(ar -> {
            synchronized (this) {
                inFlight = null;
                if (ar.succeeded()) {
                    jwksKeys = ar.result();
                    fetchedAtNanos = System.nanoTime();
                    Log.infof("Fetched %d Clerk signing key(s) from the JWKS URL", ar.result().size());
                } else {
                    Log.warnf("Could not fetch Clerk's JWKS: %s", ar.cause().getMessage());
                }
            }
            promise.handle(ar);
        });
        return inFlight;
    }

    private Future<Map<String, PublicKey>> fetchJwks() {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(jwksUrl.get())
                .setIdleTimeout(FETCH_TIMEOUT_MS)
                .putHeader("Accept", "application/json");
        backendApiKey.ifPresent(key -> options.putHeader("Authorization", "Bearer " + key.trim()));
        return client.request(options)
                .compose(request -> request.send())
                .compose(response -> {
                    if (response.statusCode() != 200) {
                        return Future.failedFuture("JWKS URL answered " + response.statusCode());
                    }
                    return response.body();
                })
                .map(body -> parseJwks(body.toString(StandardCharsets.UTF_8)));
    }

    static Map<String, PublicKey> parseJwks(String json) {
        try {
            Map<String, PublicKey> keys = new HashMap<>();
            for (JsonWebKey key : new JsonWebKeySet(json).getJsonWebKeys()) {
                boolean forSigning = key.getUse() == null || "sig".equals(key.getUse());
                if (key instanceof RsaJsonWebKey rsa && forSigning) {
                    keys.put(rsa.getKeyId(), rsa.getRsaPublicKey());
                }
            }
            return Map.copyOf(keys);
        } catch (Exception e) {
            throw new IllegalStateException("JWKS is not a valid key set", e);
        }
    }

    static PublicKey parsePem(String pem) {
        // Platforms often flatten a multi-line PEM into one line with literal "\n".
        String base64 = pem.replace("\\n", "\n")
                .replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64.getBytes(StandardCharsets.US_ASCII));
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (Exception e) {
            throw new IllegalStateException("CLERK_JWT_KEY is not a PEM RSA public key (-----BEGIN PUBLIC KEY-----)", e);
        }
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
