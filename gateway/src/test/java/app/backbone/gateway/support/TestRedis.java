package app.backbone.gateway.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;

import redis.embedded.RedisServer;

/**
 * A real Redis for the shared-limit tests: the one named by {@code TEST_REDIS_URL}, else an embedded redis-server
 * started here. When neither works, {@link #url()} is empty and {@link #unavailableReason()} says why, so the tests
 * that need it are skipped with that reason.
 */
public final class TestRedis {

    private static String url;
    private static String unavailableReason;
    private static boolean tried;

    private TestRedis() {
    }

    public static synchronized Optional<String> url() {
        if (!tried) {
            tried = true;
            start();
        }
        return Optional.ofNullable(url);
    }

    public static synchronized String unavailableReason() {
        return unavailableReason;
    }

    private static void start() {
        String fromEnv = System.getenv("TEST_REDIS_URL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            url = fromEnv.trim();
            return;
        }
        try {
            int port = freePort();
            RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                    .setting("appendonly no").build();
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.stop();
                } catch (IOException e) {
                    // the JVM is going away
                }
            }));
            url = "redis://127.0.0.1:" + port;
        } catch (Exception | LinkageError e) {
            unavailableReason = "No real Redis: TEST_REDIS_URL is not set and embedded redis-server would not start ("
                    + e + "). Set TEST_REDIS_URL=redis://host:6379 to run the shared rate-limit tests.";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
