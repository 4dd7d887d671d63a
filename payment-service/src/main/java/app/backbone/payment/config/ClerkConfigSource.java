package app.backbone.payment.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Maps the Clerk variables to smallrye-jwt's keys. {@code CLERK_JWT_KEY} (the PEM from the Clerk dashboard) wins over
 * {@code CLERK_JWKS_URL}: smallrye-jwt takes only one of them. With neither, the local development issuer's JWKS
 * ({@value #LOCAL_JWKS}) is used; production refuses to start without one (see {@code payment.clerk.key-source}).
 */
public class ClerkConfigSource implements ConfigSource {

    static final String LOCAL_JWKS = "http://localhost:9999/.well-known/jwks.json";

    private final Map<String, String> values;

    public ClerkConfigSource() {
        this(System::getenv);
    }

    ClerkConfigSource(Function<String, String> env) {
        Map<String, String> derived = new HashMap<>();
        String pem = env.apply("CLERK_JWT_KEY");
        String jwks = env.apply("CLERK_JWKS_URL");
        if (pem != null && !pem.isBlank()) {
            // Env files often carry the PEM on one line with literal \n.
            derived.put("mp.jwt.verify.publickey", pem.replace("\\n", "\n").trim());
        } else {
            derived.put("mp.jwt.verify.publickey.location", jwks != null && !jwks.isBlank() ? jwks.trim() : LOCAL_JWKS);
        }
        this.values = Map.copyOf(derived);
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public String getName() {
        return "Clerk variables (CLERK_JWT_KEY, CLERK_JWKS_URL)";
    }

    @Override
    public int getOrdinal() {
        // Below application.properties (250), so a test or an explicit mp.jwt key still wins.
        return 240;
    }
}
