package app.backbone.payment.config;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Maps the Clerk variables to smallrye-jwt's keys. {@code CLERK_JWT_KEY} (the PEM from the Clerk dashboard) wins over
 * {@code CLERK_JWKS_URL}: smallrye-jwt takes only one of them. With neither, the local development issuer's JWKS
 * ({@value #LOCAL_JWKS}) is used; production refuses to start without one (see {@code payment.clerk.key-source}).
 */
public class ClerkConfigSource extends MapBackedConfigSource {

    static final String LOCAL_JWKS = "http://localhost:9999/.well-known/jwks.json";

    public ClerkConfigSource() {
        // The subscriptions backend's CLERK_PUBLISHABLE_KEY gives CLERK_JWKS_URL when that is not set.
        this(app.backbone.common.config.ExpressBackendVariables.withOldNames(System::getenv));
    }

    // Below application.properties (250), so a test or an explicit mp.jwt key still wins.
    ClerkConfigSource(Function<String, String> env) {
        super("Clerk variables (CLERK_JWT_KEY, CLERK_JWKS_URL)", derive(env), 240);
    }

    private static Map<String, String> derive(Function<String, String> env) {
        Map<String, String> derived = new HashMap<>();
        String pem = env.apply("CLERK_JWT_KEY");
        String jwks = env.apply("CLERK_JWKS_URL");
        if (pem != null && !pem.isBlank()) {
            // Env files often carry the PEM on one line with literal \n.
            derived.put("mp.jwt.verify.publickey", pem.replace("\\n", "\n").trim());
        } else {
            derived.put("mp.jwt.verify.publickey.location", jwks != null && !jwks.isBlank() ? jwks.trim() : LOCAL_JWKS);
        }
        return derived;
    }
}
