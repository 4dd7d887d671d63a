package app.backbone.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP/1.1 request written as raw bytes, for what no well-behaved client sends (a URI or header the decoder refuses,
 * a declared length with no body), and the answer as it came.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** The answer to {@code request} (ISO-8859-1 bytes) sent to {@code localhost:port}: whatever came within 10 s. */
    public static Answer send(int port, String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0;) {
                    read.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException | SocketException e) {
                // the server keeps the connection or resets it once it has answered: what arrived is the answer
            }
            return new Answer(read.toString(StandardCharsets.UTF_8));
        }
    }

    /** An answer as received: status line, headers and body. */
    public record Answer(String raw) {

        /** The status code; -1 when nothing that reads as an HTTP/1.1 answer came. */
        public int status() {
            return raw.startsWith("HTTP/1.1 ") && raw.length() >= 12 ? Integer.parseInt(raw.substring(9, 12)) : -1;
        }

        public String head() {
            int end = raw.indexOf("\r\n\r\n");
            return end < 0 ? raw : raw.substring(0, end);
        }

        public String body() {
            int end = raw.indexOf("\r\n\r\n");
            return end < 0 ? "" : raw.substring(end + 4);
        }

        /** The first value of the header {@code name} (case-insensitive). */
        public Optional<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return head().lines().skip(1)
                    .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(line -> line.substring(prefix.length()).trim())
                    .findFirst();
        }
    }
}
