package app.backbone.data.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Lets the services be configured with the variable names the existing backends use ({@code DATABASE_URL},
 * {@code SMTP_HOST} ...) by deriving the Quarkus keys from them. It sits above application.properties and below
 * real environment variables, so an explicit {@code QUARKUS_DATASOURCE_...} still wins.
 */
public class EnvironmentAliasesConfigSource extends MapBackedConfigSource {

    public EnvironmentAliasesConfigSource() {
        this(System::getenv);
    }

    EnvironmentAliasesConfigSource(Function<String, String> env) {
        super("environment aliases (DATABASE_URL, SMTP_*)", derive(env), 275);
    }

    private static Map<String, String> derive(Function<String, String> env) {
        Map<String, String> derived = new HashMap<>();
        alias(env, derived, "SMTP_HOST", "quarkus.mailer.host");
        alias(env, derived, "SMTP_PORT", "quarkus.mailer.port");
        alias(env, derived, "SMTP_USERNAME", "quarkus.mailer.username");
        alias(env, derived, "SMTP_PASSWORD", "quarkus.mailer.password");
        alias(env, derived, "SMTP_FROM", "quarkus.mailer.from");
        String databaseUrl = env.apply("DATABASE_URL");
        if (databaseUrl != null && !databaseUrl.isBlank()) {
            derived.putAll(fromDatabaseUrl(databaseUrl.trim()));
        }
        return derived;
    }

    /** {@code postgres(ql)://user:password@host:port/db?params} to the reactive and JDBC datasource keys. */
    static Map<String, String> fromDatabaseUrl(String url) {
        URI uri = URI.create(url.replaceFirst("^postgres://", "postgresql://"));
        if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("DATABASE_URL must look like postgresql://user:password@host:5432/database");
        }
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        Map<String, String> keys = new HashMap<>();
        keys.put("quarkus.datasource.reactive.url", "postgresql://" + uri.getHost() + ":" + port + "/" + database + query);
        keys.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + database + query);
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            keys.put("quarkus.datasource.username", URLDecoder.decode(user, StandardCharsets.UTF_8));
            if (colon >= 0) {
                keys.put("quarkus.datasource.password",
                        URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8));
            }
        }
        return keys;
    }

    private static void alias(Function<String, String> env, Map<String, String> into, String variable, String key) {
        String value = env.apply(variable);
        if (value != null && !value.isBlank()) {
            into.put(key, value);
        }
    }
}
