package app.backbone.testing;

import java.io.IOException;
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
 * gets a fresh database of its own, reached through a {@link LinkProxy} so a test can take the database away.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres embedded;
    private static LinkProxy link;
    private static String adminUrl;
    private static String user;
    private static String password;
    private static String database;

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
