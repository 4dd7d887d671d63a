package app.backbone.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP link between a service and a real dependency that a test can cut and restore, so "the database went away"
 * is tested against the real server: {@link #cut()} drops every open connection and refuses new ones on the same
 * port; {@link #refuseLikePostgres} drops them and answers each new one as a PostgreSQL server that is starting up,
 * shutting down or full would; {@link #restore()} links them to the real server again.
 */
public final class LinkProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile byte[] refusal;

    public LinkProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = listen(0);
    }

    public int port() {
        return port;
    }

    public synchronized void cut() {
        closeQuietly(server);
        server = null;
        open.forEach(LinkProxy::closeQuietly);
        open.clear();
    }

    public synchronized void restore() {
        refusal = null;
        if (server == null) {
            listen(port);
        }
    }

    /**
     * Drops every open connection, then answers each new one's startup message with a PostgreSQL {@code FATAL}
     * ErrorResponse carrying {@code sqlState} (57P03 "the database system is starting up", 53300 "sorry, too many
     * clients already", ...) and closes it, as the real server does.
     */
    public synchronized void refuseLikePostgres(String sqlState, String message) {
        refusal = errorResponse(sqlState, message);
        open.forEach(LinkProxy::closeQuietly);
        open.clear();
        if (server == null) {
            listen(port);
        }
    }

    @Override
    public void close() {
        cut();
    }

    private int listen(int onPort) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
            server = socket;
            Thread acceptor = new Thread(() -> acceptLoop(socket), "link-proxy-" + socket.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot listen on port " + onPort, e);
        }
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                byte[] answer = refusal;
                if (answer != null) {
                    refuse(client, answer);
                    continue;
                }
                Socket upstream = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // the server socket was closed by cut(), or the target refused: either way the client sees a failure
            }
        }
    }

    private static void refuse(Socket client, byte[] answer) {
        Thread thread = new Thread(() -> {
            try (client) {
                DataInputStream in = new DataInputStream(client.getInputStream());
                int length = in.readInt();
                in.skipNBytes(length - 4L);
                client.getOutputStream().write(answer);
                client.getOutputStream().flush();
            } catch (IOException e) {
                // the client gave up first
            }
        }, "link-proxy-refusal");
        thread.setDaemon(true);
        thread.start();
    }

    // ErrorResponse: 'E', int32 length, then (field type, C string) pairs ending in a zero byte.
    private static byte[] errorResponse(String sqlState, String message) {
        ByteArrayOutputStream fields = new ByteArrayOutputStream();
        for (String[] field : new String[][] {{"S", "FATAL"}, {"V", "FATAL"}, {"C", sqlState}, {"M", message}}) {
            fields.write(field[0].charAt(0));
            fields.writeBytes(field[1].getBytes(StandardCharsets.UTF_8));
            fields.write(0);
        }
        fields.write(0);
        byte[] body = fields.toByteArray();
        ByteBuffer packet = ByteBuffer.allocate(1 + 4 + body.length);
        packet.put((byte) 'E').putInt(4 + body.length).put(body);
        return packet.array();
    }

    private void pump(Socket from, Socket to) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // connection dropped
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "link-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
