package app.backbone.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.support.InjectBackends;
import app.backbone.gateway.support.RecordingUpstream.Received;
import app.backbone.gateway.support.TestBackends;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Only the gateway speaks for the client: what a client or a service must not set never gets through. */
@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
class ClientHeadersTest {

    private static final String CLIENT_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @InjectBackends
    TestBackends backends;

    @Test
    void anUntrustedClientCannotSpeakForItselfOrJoinOurTrace() throws IOException {
        String requestId = "untrusted-" + UUID.randomUUID();
        // 127.0.0.2 is not a trusted proxy in the tests (127.0.0.1 and ::1 are).
        String answer = rawRequestFrom("127.0.0.2", "GET /api/payment/verify/REF-CLAIMS HTTP/1.1\r\n"
                + "Host: gateway.test\r\n"
                + "X-Request-Id: " + requestId + "\r\n"
                + "X-Real-IP: 6.6.6.6\r\n"
                + "X-Forwarded-For: 6.6.6.6\r\n"
                + "X-Forwarded-Proto: https\r\n"
                + "X-Forwarded-Host: evil.example\r\n"
                + "X-Forwarded-Port: 443\r\n"
                + "X-Forwarded-Prefix: /admin\r\n"
                + "Forwarded: for=6.6.6.6;proto=https\r\n"
                + "True-Client-IP: 6.6.6.6\r\n"
                + "traceparent: 00-" + CLIENT_TRACE_ID + "-00f067aa0ba902b7-01\r\n"
                + "tracestate: vendor=planted\r\n"
                + "baggage: userId=admin\r\n"
                + "Connection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);

        Received received = backends.payment().withRequestId(requestId).orElseThrow();
        assertEquals("127.0.0.2", received.header("X-Forwarded-For"));
        assertEquals("http", received.header("X-Forwarded-Proto"));
        assertEquals("gateway.test", received.header("X-Forwarded-Host"));
        for (String forbidden : new String[] { "X-Real-IP", "X-Forwarded-Port", "X-Forwarded-Prefix", "Forwarded",
                "True-Client-IP", "tracestate", "baggage" }) {
            assertNull(received.header(forbidden), forbidden + " must not reach the service");
        }
        assertEquals(1, received.headers().getAll("traceparent").size(), "one traceparent: " + received.headers().getAll("traceparent"));
        String traceId = received.header("traceparent").split("-")[1];
        assertNotEquals(CLIENT_TRACE_ID, traceId, "an untrusted caller's trace is not continued");
        assertTrue(traceId.matches("[0-9a-f]{32}") && !traceId.equals("0".repeat(32)), traceId);
    }

    @Test
    void aTrustedProxyStillCannotPassClientAddressHeadersButItsTraceContinuesOnce() {
        String requestId = "trusted-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId)
                .header("X-Forwarded-For", "203.0.113.9")
                .header("X-Real-IP", "6.6.6.6")
                .header("Forwarded", "for=6.6.6.6")
                .header("X-Forwarded-Prefix", "/admin")
                .header("traceparent", "00-" + CLIENT_TRACE_ID + "-00f067aa0ba902b7-01")
                .header("baggage", "userId=admin")
                .get("/api/payment/verify/REF-TRUSTED").then().statusCode(200);
        Received received = backends.payment().withRequestId(requestId).orElseThrow();
        assertEquals("203.0.113.9, 127.0.0.1", received.header("X-Forwarded-For"));
        assertNull(received.header("X-Real-IP"));
        assertNull(received.header("Forwarded"));
        assertNull(received.header("X-Forwarded-Prefix"));
        assertEquals(1, received.headers().getAll("traceparent").size(), "one traceparent: " + received.headers().getAll("traceparent"));
        assertEquals(CLIENT_TRACE_ID, received.header("traceparent").split("-")[1], "a trusted proxy's trace is continued");
        assertEquals(1, received.headers().getAll("baggage").size(), "baggage once: " + received.headers().getAll("baggage"));
    }

    @Test
    void aServicesCorsHeadersNeverReachTheClient() {
        given().get("/api/payment/cors-from-service").then().statusCode(200)
                .body("service", equalTo("payment"))
                .header("Access-Control-Allow-Origin", nullValue())
                .header("Access-Control-Allow-Credentials", nullValue())
                .header("Access-Control-Expose-Headers", nullValue());
    }

    @Test
    void anAllowedOriginGetsOnlyTheGatewaysCorsHeaders() {
        var response = given().header("Origin", GatewayBackendsResource.AUTHORIZED_PARTY)
                .get("/api/payment/cors-from-service");
        response.then().statusCode(200)
                .header("Access-Control-Allow-Origin", GatewayBackendsResource.AUTHORIZED_PARTY)
                .header("Access-Control-Allow-Credentials", nullValue());
        assertEquals(1, response.headers().getList("Access-Control-Allow-Origin").size());
        assertEquals(1, response.headers().getList("Access-Control-Expose-Headers").size());
        assertTrue(response.header("Access-Control-Expose-Headers").contains("X-Request-Id"));
    }

    /** Sends raw HTTP/1.1 from a chosen local address and returns the whole answer. */
    private static String rawRequestFrom(String localAddress, String request) throws IOException {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(localAddress), 0)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
