package app.backbone.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for a test run: the server named by {@code TEST_DATABASE_URL}
 * ({@code postgresql://user:password@host:port/db}) when it is set, an embedded one started here otherwise. Each run
 * gets a fresh database of its own, reached through a {@link LinkProxy} so a test can take the database away. Under a
 * test profile that is a {@link SeededDatabase} the fresh database first gets the profile's scripts.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres embedded;
    private static LinkProxy link;
    private static String adminUrl;
    private static String user;
    private static String password;
    private static String database;
    private String testProfile;

    @Override
    public void setContext(Context context) {
        this.testProfile = context.testProfile();
    }

    @Override
    public synchronized Map<String, String> start() {
        String external = System.getenv("TEST_DATABASE_URL");
        String host;
        int port;
        if (external != null && !external.isBlank()) {
            URI uri = URI.create(external.replaceFirst("^postgres://", "postgresql://"));
            host = uri.getHost();
            port = uri.getPort() == -1 ? 5432 : uri.getPort();
            String[] userInfo = uri.getUserInfo() == null ? new String[] {"postgres"} : uri.getUserInfo().split(":", 2);
            user = userInfo[0];
            password = userInfo.length > 1 ? userInfo[1] : "";
            String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
            adminUrl = "jdbc:postgresql://" + host + ":" + port + "/" + db;
        } else {
            host = "127.0.0.1";
            port = startEmbedded();
            user = "postgres";
            password = "postgres";
            adminUrl = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        }
        database = "backbone_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(adminUrl, "CREATE DATABASE " + database);
        seed();
        link = new LinkProxy(host, port);
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + link.port() + "/" + database,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + link.port() + "/" + database,
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password);
    }

    @Override
    public synchronized void stop() {
        if (link != null) {
            link.close();
        }
        try {
            execute(adminUrl, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (RuntimeException e) {
            // a leftover test database is harmless
        }
    }

    /** The link between the service and the database, to cut and restore. */
    public static LinkProxy link() {
        return link;
    }

    /** A direct JDBC connection to the test database (not through the link), for asserting rows. */
    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + database, user,
                password);
    }

    private void seed() {
        if (testProfile == null || testProfile.isBlank()) {
            return;
        }
        Object profile;
        try {
            profile = Class.forName(testProfile, true, Thread.currentThread().getContextClassLoader())
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot make test profile " + testProfile, e);
        }
        if (profile instanceof SeededDatabase seeded) {
            seeded.seed();
        }
    }

    /** Runs a classpath SQL script on the test database (statements with dollar-quoted bodies are fine). */
    public static void runScript(String resource) {
        runSql(readScript(resource));
    }

    /** The text of a classpath SQL script. */
    public static String readScript(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No SQL script " + resource + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + resource, e);
        }
    }

    /** Runs SQL text (one or more statements) on the test database. */
    public static void runSql(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run SQL on the test database", e);
        }
    }

    private static int startEmbedded() {
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new IllegalStateException("Cannot start an embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException e) {
                    // the JVM is ending anyway
                }
            }));
        }
        return embedded.getPort();
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run " + sql, e);
        }
    }
}
