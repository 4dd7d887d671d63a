package app.backbone.gateway.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import redis.embedded.RedisServer;

/**
 * A Redis of the test's own (embedded redis-server on a free port) that a test may kill mid-run with
 * {@link #shutDown(int)}. When it cannot start, {@code test.redis.available} is false and the test is skipped.
 */
public class StoppableRedisResource implements QuarkusTestResourceLifecycleManager {

    private RedisServer server;

    @Override
    public Map<String, String> start() {
        try {
            int port = freePort();
            server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                    .setting("appendonly no").build();
            server.start();
            return Map.of("gateway.rate-limit.redis-url", "redis://127.0.0.1:" + port, "test.redis.available", "true",
                    "test.redis.port", String.valueOf(port));
        } catch (Exception | LinkageError e) {
            return Map.of("gateway.rate-limit.redis-url", "", "test.redis.available", "false",
                    "test.redis.unavailable-reason", "embedded redis-server would not start: " + e, "test.redis.port", "0");
        }
    }

    /** Kills the Redis on this port at once, as a crash would (no save, connections dropped). */
    public static void shutDown(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write("SHUTDOWN NOSAVE\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.getInputStream().read();
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            try {
                server.stop();
            } catch (IOException | RuntimeException e) {
                // already shut down by the test
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
