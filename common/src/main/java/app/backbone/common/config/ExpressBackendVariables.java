package app.backbone.common.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Accepts the variable names of the subscriptions Express backend's {@code .env} where they mean what ours mean:
 * {@code CORS_ORIGIN} is {@code CORS_ORIGINS}; {@code CLERK_PUBLISHABLE_KEY} encodes the Frontend API host, which gives
 * {@code CLERK_ISSUER} ({@code https://<host>}) and {@code CLERK_JWKS_URL} (its public {@code /.well-known/jwks.json}).
 * ({@code CLERK_SECRET_KEY} is read by the gateway itself: see {@link #BACKEND_API_JWKS}.) It provides the new names
 * below the environment (ordinal 275 < 300), so a new name that is set always wins over an old one.
 */
public class ExpressBackendVariables extends MapBackedConfigSource {

    /** Where the gateway fetches the JWKS with {@code CLERK_SECRET_KEY} when no key, JWKS URL or publishable key is set. */
    public static final String BACKEND_API_JWKS = "https://api.clerk.com/v1/jwks";

    public ExpressBackendVariables() {
        this(System::getenv);
    }

    ExpressBackendVariables(Function<String, String> env) {
        super("Express backend variables (CORS_ORIGIN, CLERK_PUBLISHABLE_KEY, CLERK_SECRET_KEY)", derive(env), 275);
    }

    /** The new names the old ones give (only those the old ones can give). */
    public static Map<String, String> derive(Function<String, String> env) {
        Map<String, String> derived = new HashMap<>();
        value(env, "CORS_ORIGIN").ifPresent(origins -> derived.put("CORS_ORIGINS", origins));
        Optional<String> host = value(env, "CLERK_PUBLISHABLE_KEY").flatMap(ExpressBackendVariables::frontendApiHost);
        if (host.isPresent()) {
            derived.put("CLERK_ISSUER", "https://" + host.get());
            derived.put("CLERK_JWKS_URL", "https://" + host.get() + "/.well-known/jwks.json");
        }
        return derived;
    }

    /** An environment lookup where a new name that is not set falls back to what the old names give. */
    public static Function<String, String> withOldNames(Function<String, String> env) {
        Map<String, String> derived = derive(env);
        return name -> value(env, name).orElse(derived.get(name));
    }

    /**
     * The Frontend API host a publishable key encodes: {@code pk_test_} or {@code pk_live_}, then base64 of the host
     * followed by {@code $}. Empty when the key is not one.
     */
    public static Optional<String> frontendApiHost(String publishableKey) {
        String key = publishableKey.trim();
        if (!key.startsWith("pk_test_") && !key.startsWith("pk_live_")) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(key.substring(8)), StandardCharsets.UTF_8);
            if (!decoded.endsWith("$")) {
                return Optional.empty();
            }
            String host = decoded.substring(0, decoded.length() - 1);
            return host.matches("[A-Za-z0-9.-]+(:[0-9]{1,5})?") && host.contains(".") ? Optional.of(host) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> value(Function<String, String> env, String name) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
