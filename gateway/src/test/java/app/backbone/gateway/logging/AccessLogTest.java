package app.backbone.gateway.logging;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.backbone.gateway.support.GatewayBackendsResource;
import app.backbone.gateway.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** One access line per request, with the values an operator looks for, and the truth about requests cut short. */
@QuarkusTest
@WithTestResource(GatewayBackendsResource.class)
class AccessLogTest {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            Object[] parameters = record.getParameters();
            if (parameters != null && parameters.length == 1) {
                lines.add(String.valueOf(parameters[0])); // the text the plain console shows: message, name=value
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger(AccessLog.class.getName()).addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger(AccessLog.class.getName()).removeHandler(capture);
    }

    @Test
    void aProxiedRequestIsLoggedWithItsIdRouteStatusLatencyAndUser() {
        given().header("X-Request-Id", "access-log-1").header("Authorization", "Bearer " + Tokens.valid("user_logged"))
                .get("/stripe/products").then().statusCode(200);
        String line = lineFor("access-log-1");
        assertTrue(line.startsWith("GET /stripe/products 200 "), line);
        assertTrue(line.contains("type=access"), line);
        assertTrue(line.contains("route=stripe"), line);
        assertTrue(line.contains("status=200"), line);
        assertTrue(line.matches(".*latencyMs=\\d+.*"), line);
        assertTrue(line.contains("userId=user_logged"), line);
        assertTrue(!line.contains("Bearer"), "no token in the log: " + line);
    }

    @Test
    void aRefusedRequestIsLoggedWithItsErrorStatus() {
        given().header("X-Request-Id", "access-log-2").get("/stripe/products").then().statusCode(401);
        String line = lineFor("access-log-2");
        assertTrue(line.contains("status=401"), line);
        assertTrue(line.contains("userId=null"), line);
    }

    @Test
    void aRequestThatGetsNoAnswerIsNotLoggedAsAnswered() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/contact HTTP/1.1\r\nHost: gateway\r\nX-Request-Id: access-log-3\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readAllBytes();
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            String line = lineFor("access-log-3");
            if (text.startsWith("HTTP/1.1 ")) {
                String status = text.substring(9, 12);
                assertTrue(line.contains("status=" + status), "logged as answered " + status + ": " + line);
            } else {
                assertTrue(line.contains("status=0") && line.contains("aborted=true"), line);
            }
        }
    }

    private String lineFor(String requestId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            Optional<String> line = lines.stream().filter(l -> l.contains("requestId=" + requestId + " ")).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertEquals("an access line for " + requestId, String.join("\n", lines));
        return "";
    }
}
