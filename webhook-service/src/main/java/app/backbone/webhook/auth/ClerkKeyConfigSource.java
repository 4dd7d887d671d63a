package app.backbone.webhook.auth;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Feeds the PEM in {@code CLERK_JWT_KEY}, when set, to smallrye-jwt as {@code mp.jwt.verify.publickey} (which then
 * wins over the JWKS URL). A property cannot do it: smallrye-jwt refuses an empty key, and the variable is optional.
 */
public class ClerkKeyConfigSource implements ConfigSource {

    private final Map<String, String> values;

    public ClerkKeyConfigSource() {
        this(System::getenv);
    }

    ClerkKeyConfigSource(Function<String, String> env) {
        String pem = env.apply("CLERK_JWT_KEY");
        this.values = pem == null || pem.isBlank() ? Map.of() : Map.of("mp.jwt.verify.publickey", pem.strip());
    }

    @Override
    public Map<String, String> getProperties() {
        return values;
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
        return "clerk-jwt-key";
    }

    @Override
    public int getOrdinal() {
        return 275;
    }
}
