package app.backbone.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import app.backbone.gateway.support.ClientIps;
import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.support.InjectBackends;
import app.backbone.gateway.support.RecordingUpstream;
import app.backbone.gateway.support.TestBackends;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
class BodyLimitTest {

    private static final int CONTACT_LIMIT = 64 * 1024;

    @InjectBackends
    TestBackends backends;

    @TestHTTPResource("/")
    URI gateway;

    @Test
    void contactBodyOverItsLimitIsRefusedBeforeTheService() {
        String requestId = "big-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId).header("X-Forwarded-For", ClientIps.next())
                .contentType("application/json").body(filled(CONTACT_LIMIT + 1))
                .post("/api/contact")
                .then().statusCode(413)
                .body("success", equalTo(false))
                .body("error.code", equalTo("PAYLOAD_TOO_LARGE"))
                .body("error.requestId", equalTo(requestId));
        assertEquals(0, backends.contact().countWithRequestId(requestId));
    }

    @Test
    void contactBodyAtItsLimitPasses() {
        String requestId = "limit-" + UUID.randomUUID();
        byte[] body = filled(CONTACT_LIMIT);
        given().header("X-Request-Id", requestId).header("X-Forwarded-For", ClientIps.next())
                .contentType("application/json").body(body)
                .post("/api/contact")
                .then().statusCode(200).body("bodyBytes", equalTo(CONTACT_LIMIT));
        assertArrayEquals(body, backends.contact().withRequestId(requestId).orElseThrow().body());
    }

    @Test
    void chunkedBodyIsCountedAsItStreams() throws Exception {
        String requestId = "chunked-" + UUID.randomUUID();
        HttpResponse<String> response = postChunked("/api/contact", requestId, filled(CONTACT_LIMIT * 2));
        assertEquals(413, response.statusCode());
        JsonObject error = new JsonObject(response.body()).getJsonObject("error");
        assertEquals("PAYLOAD_TOO_LARGE", error.getString("code"));
        assertEquals(requestId, error.getString("requestId"));
        assertEquals(0, backends.contact().countWithRequestId(requestId), "the service never gets a complete request");
    }

    @Test
    void chunkedBodyUnderTheLimitStreamsThroughByteForByte() throws Exception {
        String requestId = "chunked-ok-" + UUID.randomUUID();
        byte[] body = filled(700 * 1024);
        HttpResponse<String> response = postChunked("/webhooks/stripe", requestId, body);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(body.length, new JsonObject(response.body()).getInteger("bodyBytes"));
        assertArrayEquals(body, backends.webhook().withRequestId(requestId).orElseThrow().body());
    }

    @Test
    void clientExpectingContinueIsRefusedBeforeSendingATooLargeBody() throws Exception {
        String requestId = "expect-big-" + UUID.randomUUID();
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(10_000);
            writeHead(socket, requestId, CONTACT_LIMIT + 10);
            String response = readAvailable(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertTrue(response.contains("PAYLOAD_TOO_LARGE"), response);
        }
        assertEquals(0, backends.contact().countWithRequestId(requestId));
    }

    @Test
    void clientExpectingContinueIsAskedForTheBodyByTheGatewayNotTheService() throws Exception {
        String requestId = "expect-ok-" + UUID.randomUUID();
        byte[] body = filled(10_000);
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(10_000);
            writeHead(socket, requestId, body.length);
            String interim = readAvailable(socket.getInputStream());
            assertTrue(interim.startsWith("HTTP/1.1 100 Continue"), interim);
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            String response = interim.contains("HTTP/1.1 200") ? interim : readAvailable(socket.getInputStream());
            assertTrue(response.contains("HTTP/1.1 200"), response);
        }
        RecordingUpstream.Received received = backends.contact().withRequestId(requestId).orElseThrow();
        assertArrayEquals(body, received.body());
        assertNull(received.header("Expect"));
    }

    private static void writeHead(Socket socket, String requestId, int contentLength) throws IOException {
        String head = "POST /api/contact HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + contentLength + "\r\n"
                + "Expect: 100-continue\r\n"
                + "X-Request-Id: " + requestId + "\r\n"
                + "X-Forwarded-For: " + ClientIps.next() + "\r\n"
                + "Connection: close\r\n\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Reads what the server has sent so far: blocks for the first bytes, then takes whatever follows at once. */
    private static String readAvailable(InputStream in) throws IOException, InterruptedException {
        byte[] buffer = new byte[65536];
        int n = in.read(buffer);
        if (n < 0) {
            return "";
        }
        StringBuilder text = new StringBuilder(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        Thread.sleep(200);
        while (in.available() > 0 && (n = in.read(buffer)) > 0) {
            text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
        return text.toString();
    }

    private HttpResponse<String> postChunked(String path, String requestId, byte[] body) throws IOException, InterruptedException {
        // An InputStream publisher of unknown length makes the JDK client send Transfer-Encoding: chunked.
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve(path))
                .version(HttpClient.Version.HTTP_1_1)
                .header("X-Request-Id", requestId)
                .header("X-Forwarded-For", ClientIps.next())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] filled(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        body[0] = '"';
        body[size - 1] = '"';
        return body;
    }
}
