package app.backbone.payment.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Maps the Clerk variables to smallrye-jwt's keys. {@code CLERK_JWT_KEY} (the PEM from the Clerk dashboard) wins over
 * {@code CLERK_JWKS_URL}: when it is set the JWKS location is blanked, since smallrye-jwt takes only one of them.
 */
public class ClerkConfigSource implements ConfigSource {

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
            derived.put("mp.jwt.verify.publickey.location", "");
        } else if (jwks != null && !jwks.isBlank()) {
            derived.put("mp.jwt.verify.publickey.location", jwks.trim());
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
        return 275;
    }
}
